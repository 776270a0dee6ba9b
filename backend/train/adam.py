"""TF1 AdamOptimizer: lr_t = lr*sqrt(1-beta2^t)/(1-beta1^t); m, v moving averages;
var -= lr_t*m/(sqrt(v)+eps). beta1^t and beta2^t live in two non-slot variables."""
import numpy as np

from ..ops.math import cast, divide, multiply, sqrt, subtract
from ..ops.optimizer import apply_adam
from ..ops.state import assign
from ..variables import Variable
from .optimizer import Optimizer


class AdamOptimizer(Optimizer):
    def __init__(self, learning_rate=0.001, beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8,
                 use_locking: bool = False, name: str = "Adam"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta1 = float(beta1)
        self._beta2 = float(beta2)
        self._epsilon = float(epsilon)
        self._powers = None
        self._alpha = {}

    def _create_slots(self, var):
        if self._powers is None:
            self._powers = [Variable(np.asarray(b, var.dtype), trainable=False, name=f"{self._name}/beta{i}_power")
                            for i, b in ((1, self._beta1), (2, self._beta2))]
            self._non_slot_variables.extend(self._powers)
        self._slot(var, "m")
        self._slot(var, "v")

    def _prepare(self, dtype):
        beta1_power, beta2_power = (cast(p, dtype) for p in self._powers)
        lr = self._learning_rate(self._lr, dtype)
        self._alpha = {dtype: divide(multiply(lr, sqrt(subtract(1.0, beta2_power))), subtract(1.0, beta1_power))}

    def _apply_dense(self, grad, var):
        if var.dtype not in self._alpha:
            self._prepare(var.dtype)
        return apply_adam(var, self.get_slot(var, "m"), self.get_slot(var, "v"), grad, self._alpha[var.dtype],
                          beta_1=self._beta1, beta_2=self._beta2, epsilon=self._epsilon)

    def _finish(self):
        beta1_power, beta2_power = self._powers
        return [assign(beta1_power, multiply(beta1_power, self._beta1)),
                assign(beta2_power, multiply(beta2_power, self._beta2))]
