"""TF1 AdagradOptimizer: accum += g^2; var -= lr*g / sqrt(accum)."""
from ..ops.optimizer import apply_adagrad
from .optimizer import Optimizer


class AdagradOptimizer(Optimizer):
    def __init__(self, learning_rate, initial_accumulator_value: float = 0.1, use_locking: bool = False,
                 name: str = "Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._initial = float(initial_accumulator_value)

    def _create_slots(self, var):
        self._slot(var, "accumulator", self._initial)

    def _apply_dense(self, grad, var):
        return apply_adagrad(var, self.get_slot(var, "accumulator"), grad, self._learning_rate(self._lr, var.dtype),
                             epsilon=0.0)
