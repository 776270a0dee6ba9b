"""TF1 GradientDescentOptimizer: var -= lr * grad."""
from ..ops.optimizer import apply_gradient_descent
from .optimizer import Optimizer


class GradientDescentOptimizer(Optimizer):
    def __init__(self, learning_rate, use_locking: bool = False, name: str = "GradientDescent"):
        super().__init__(use_locking, name)
        self._lr = learning_rate

    def _apply_dense(self, grad, var):
        return apply_gradient_descent(var, grad, self._learning_rate(self._lr, var.dtype))
