"""TF1 AdadeltaOptimizer: accum = rho*accum + (1-rho)*g^2; upd = sqrt(accum_update+eps)/sqrt(accum+eps)*g;
accum_update = rho*accum_update + (1-rho)*upd^2; var -= lr*upd."""
from ..ops.optimizer import apply_adadelta
from .optimizer import Optimizer


class AdadeltaOptimizer(Optimizer):
    def __init__(self, learning_rate=0.001, rho: float = 0.95, epsilon: float = 1e-8, use_locking: bool = False,
                 name: str = "Adadelta"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._rho = float(rho)
        self._epsilon = float(epsilon)

    def _create_slots(self, var):
        self._slot(var, "accum")
        self._slot(var, "accum_update")

    def _apply_dense(self, grad, var):
        return apply_adadelta(var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update"), grad,
                              self._learning_rate(self._lr, var.dtype), rho=self._rho, epsilon=self._epsilon)
