"""Python operators (`+`, `*`, `@`, `<`, `[]`, ...) for tensors and variables, as ops."""
from __future__ import annotations


def _math():
    from .ops import math

    return math


def _binary(name, reflected=False):
    def method(self, other):
        fn = getattr(_math(), name)
        return fn(other, self) if reflected else fn(self, other)
    return method


class TensorOperators:
    """Mixin giving symbolic tensors and variables NumPy-like operators."""

    __add__ = _binary("add")
    __radd__ = _binary("add", True)
    __sub__ = _binary("subtract")
    __rsub__ = _binary("subtract", True)
    __mul__ = _binary("multiply")
    __rmul__ = _binary("multiply", True)
    __truediv__ = _binary("divide")
    __rtruediv__ = _binary("divide", True)
    __pow__ = _binary("power")
    __rpow__ = _binary("power", True)
    __matmul__ = _binary("matmul")
    __rmatmul__ = _binary("matmul", True)
    __lt__ = _binary("less")
    __le__ = _binary("less_equal")
    __gt__ = _binary("greater")
    __ge__ = _binary("greater_equal")

    def __neg__(self):
        return _math().negative(self)

    def __abs__(self):
        return _math().absolute(self)

    def __getitem__(self, key):
        from .ops.array import getitem

        return getitem(self, key)

    @property
    def T(self):
        from .ops.array import transpose

        return transpose(self)
