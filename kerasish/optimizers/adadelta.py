"""Keras 3 Adadelta: acc_g = rho*acc_g + (1-rho)*g^2; delta = -sqrt(acc_d+eps)/sqrt(acc_g+eps)*g;
acc_d = rho*acc_d + (1-rho)*delta^2; var += lr*delta."""
from kerasish.backend.ops.optimizer import apply_adadelta

from .optimizer import Optimizer


class Adadelta(Optimizer):
    def __init__(self, learning_rate=0.001, rho: float = 0.95, epsilon: float = 1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"])

    def update_step(self, gradient, variable, target, learning_rate, coefficients):
        i = self._var_index(variable)
        return apply_adadelta(target, self._accumulated_grads[i], self._accumulated_delta_vars[i], gradient,
                              learning_rate, rho=float(self.rho), epsilon=float(self.epsilon))

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
