"""Keras 3 RMSprop: v = rho*v + (1-rho)*g^2; incr = lr*g / sqrt(v + eps) (centered: v - mg^2 + eps);
with momentum: mom = momentum*mom + incr; var -= mom."""
from kerasish.backend.ops.optimizer import apply_rmsprop

from .optimizer import Optimizer


class RMSprop(Optimizer):
    def __init__(self, learning_rate=0.001, rho: float = 0.9, momentum: float = 0.0, epsilon: float = 1e-7,
                 centered: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum > 0 else []
        self._average_gradients = self.add_optimizer_variables(variables, "average_gradient") if self.centered else []

    def update_step(self, gradient, variable, target, learning_rate, coefficients):
        i = self._var_index(variable)
        slots = [self._velocities[i]]
        slots += [self._momentums[i]] if self.momentum > 0 else []
        slots += [self._average_gradients[i]] if self.centered else []
        return apply_rmsprop(target, *slots, gradient, learning_rate, rho=float(self.rho),
                             momentum=float(self.momentum) if self.momentum > 0 else None,
                             epsilon=float(self.epsilon), centered=bool(self.centered))

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                "centered": self.centered}
