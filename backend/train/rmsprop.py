"""TF1 RMSPropOptimizer: ms = decay*ms + (1-decay)*g^2 (ms starts at ONE);
mom = momentum*mom + lr*g/sqrt(ms + eps); var -= mom. Centered subtracts mg^2 from ms."""
from ..ops.optimizer import apply_rmsprop
from .optimizer import Optimizer


class RMSPropOptimizer(Optimizer):
    def __init__(self, learning_rate, decay: float = 0.9, momentum: float = 0.0, epsilon: float = 1e-10,
                 use_locking: bool = False, centered: bool = False, name: str = "RMSProp"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._decay = float(decay)
        self._momentum = float(momentum)
        self._epsilon = float(epsilon)
        self._centered = bool(centered)

    def _create_slots(self, var):
        self._slot(var, "rms", 1.0)
        self._slot(var, "momentum")
        if self._centered:
            self._slot(var, "mg")

    def _apply_dense(self, grad, var):
        slots = [self.get_slot(var, "rms"), self.get_slot(var, "momentum")]
        if self._centered:
            slots.append(self.get_slot(var, "mg"))
        return apply_rmsprop(var, *slots, grad, self._learning_rate(self._lr, var.dtype), rho=self._decay,
                             momentum=self._momentum, epsilon=self._epsilon, centered=self._centered)
