"""TF1 MomentumOptimizer: accum = momentum*accum + g; var -= lr*accum (nesterov: lr*(g + momentum*accum))."""
from ..ops.optimizer import apply_momentum
from .optimizer import Optimizer


class MomentumOptimizer(Optimizer):
    def __init__(self, learning_rate, momentum: float, use_locking: bool = False, name: str = "Momentum",
                 use_nesterov: bool = False):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._momentum = float(momentum)
        self._use_nesterov = bool(use_nesterov)

    def _create_slots(self, var):
        self._slot(var, "momentum")

    def _apply_dense(self, grad, var):
        return apply_momentum(var, self.get_slot(var, "momentum"), grad, self._learning_rate(self._lr, var.dtype),
                              momentum=self._momentum, nesterov=self._use_nesterov)
