"""Keras 3 Adam: alpha = lr*sqrt(1-b2^t)/(1-b1^t) with t = iterations+1;
m += (g-m)*(1-b1); v += (g^2-v)*(1-b2); var -= m*alpha / (sqrt(v) + eps) (amsgrad: max of v so far)."""
from kerasish.backend.ops.math import divide, multiply, power, sqrt, subtract
from kerasish.backend.ops.optimizer import apply_adam

from .optimizer import Optimizer


class Adam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
                 amsgrad: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat") if self.amsgrad else []

    def _prepare_step(self, learning_rate, dtype):
        t = self._local_step(dtype)
        b1_power = power(dtype.type(self.beta_1), t)
        b2_power = power(dtype.type(self.beta_2), t)
        return {"alpha": divide(multiply(learning_rate, sqrt(subtract(1.0, b2_power))), subtract(1.0, b1_power))}

    def update_step(self, gradient, variable, target, learning_rate, coefficients):
        i = self._var_index(variable)
        slots = [self._momentums[i], self._velocities[i]] + ([self._velocity_hats[i]] if self.amsgrad else [])
        return apply_adam(target, *slots, gradient, coefficients["alpha"], beta_1=float(self.beta_1),
                          beta_2=float(self.beta_2), epsilon=float(self.epsilon), amsgrad=bool(self.amsgrad))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                "amsgrad": self.amsgrad}
