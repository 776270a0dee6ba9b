"""Keras 3 Adamax: m += (g-m)*(1-b1); u = max(b2*u, |g|); var -= lr*m / ((1-b1^t) * (u + eps))."""
from kerasish.backend.ops.math import power
from kerasish.backend.ops.optimizer import apply_adamax

from .optimizer import Optimizer


class Adamax(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._m, self._u = self.add_optimizer_variables(variables, ["momentum", "norm"])

    def _prepare_step(self, learning_rate, dtype):
        return {"beta_1_power": power(dtype.type(self.beta_1), self._local_step(dtype))}

    def update_step(self, gradient, variable, target, learning_rate, coefficients):
        i = self._var_index(variable)
        return apply_adamax(target, self._m[i], self._u[i], gradient, learning_rate, coefficients["beta_1_power"],
                            beta_1=float(self.beta_1), beta_2=float(self.beta_2), epsilon=float(self.epsilon))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
