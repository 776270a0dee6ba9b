"""Keras 3 SGD: plain, momentum (m = momentum*m - lr*g; var += m) and Nesterov."""
from kerasish.backend.ops.optimizer import apply_gradient_descent, apply_keras_momentum

from .optimizer import Optimizer


class SGD(Optimizer):
    def __init__(self, learning_rate=0.01, momentum: float = 0.0, nesterov: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not isinstance(momentum, (int, float)) or momentum < 0 or momentum > 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum}")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum != 0 else []

    def update_step(self, gradient, variable, target, learning_rate, coefficients):
        if self.momentum == 0:
            return apply_gradient_descent(target, gradient, learning_rate)
        return apply_keras_momentum(target, self.momentums[self._var_index(variable)], gradient, learning_rate,
                                    momentum=float(self.momentum), nesterov=bool(self.nesterov))

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
