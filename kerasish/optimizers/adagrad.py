"""Keras 3 Adagrad: acc += g^2; var -= lr*g / sqrt(acc + epsilon)."""
from kerasish.backend.ops.optimizer import apply_adagrad

from .optimizer import Optimizer


class Adagrad(Optimizer):
    def __init__(self, learning_rate=0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulators = self.add_optimizer_variables(variables, "accumulator", self.initial_accumulator_value)

    def update_step(self, gradient, variable, target, learning_rate, coefficients):
        return apply_adagrad(target, self._accumulators[self._var_index(variable)], gradient, learning_rate,
                             epsilon=float(self.epsilon))

    def get_config(self):
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
