"""Variables: named arrays owned by a device, read by graphs and updated in place."""
from __future__ import annotations

from typing import Optional

import numpy as np

from . import dtypes
from .device import get_device
from .graph import TensorShape, get_default_graph
from .operators import TensorOperators

_count = {"n": 0}


class Variable(TensorOperators):
    """A mutable array. Ops on it are symbolic (a graph reads it) outside eager mode."""

    _is_variable = True
    __array_priority__ = 1000

    def __init__(self, initial_value, trainable: bool = True, name: Optional[str] = None, dtype=None, shape=None):
        value = initial_value() if callable(initial_value) else initial_value
        if getattr(value, "_is_variable", False):
            value = value.value
        if dtype is None and isinstance(value, float):
            dtype = dtypes.floatx()
        array = np.array(value, dtype=None if dtype is None else dtypes.as_dtype(dtype))
        if shape is not None and tuple(shape) != array.shape:
            array = np.broadcast_to(array, tuple(shape)).copy()
        self.value = get_device().asarray(array)
        self._initial = array.copy()
        self.trainable = trainable
        base = (name or "Variable").split(":")[0]
        self.name = f"{get_default_graph().unique_name(base)}:0"
        _count["n"] += 1
        self._uid = _count["n"]
        get_default_graph().variables.append(self)  # TF1's global_variables()

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self.value.shape)

    @property
    def dtype(self) -> np.dtype:
        return self.value.dtype

    @property
    def ndim(self) -> int:
        return self.value.ndim

    def numpy(self) -> np.ndarray:
        return np.array(self.value)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.value, dtype=dtype)

    def assign(self, value) -> "Variable":
        """Write `value` into this variable's array in place (shape and dtype must fit)."""
        array = np.asarray(getattr(value, "value", value))
        if array.shape != self.value.shape:
            raise ValueError(f"cannot assign a value of shape {array.shape} to variable '{self.name}' of shape {tuple(self.value.shape)}")
        self.value[...] = array
        return self

    def reset(self) -> None:
        """Back to the initial value (what TF1's initializer does)."""
        self.assign(self._initial)

    @property
    def initializer(self):
        from .ops.state import initialize

        return initialize(self)

    def read_value(self):
        return get_default_graph().variable_tensor(self)

    def __repr__(self) -> str:
        return f"<Variable '{self.name}' shape={tuple(self.value.shape)} dtype={self.dtype.name}>"

    __hash__ = object.__hash__
