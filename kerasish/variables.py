"""Keras variables: backend variables with a Keras name and path ("dense/kernel")."""
from __future__ import annotations

from typing import Optional

import numpy as np

from kerasish import backend
from kerasish.backend.dtypes import as_dtype


class KerasVariable(backend.Variable):
    """A layer weight: `name` is "kernel", `path` is "dense/kernel" (the saving key)."""

    def __init__(self, initializer, shape=None, dtype=None, trainable: bool = True, name: str = "variable",
                 path: Optional[str] = None):
        dtype = as_dtype(dtype)
        if callable(initializer):
            value = np.asarray(initializer(tuple(shape), dtype=dtype), dtype=dtype)
        else:
            value = np.asarray(initializer, dtype=dtype)
            if shape is not None and value.shape != tuple(shape):
                value = np.broadcast_to(value, tuple(shape)).copy()
        super().__init__(value, trainable=trainable, name=path or name, dtype=dtype)
        self.name = name
        self.path = path or name

    def __repr__(self) -> str:
        return f"<KerasVariable path={self.path} shape={tuple(self.shape)} dtype={self.dtype.name}>"
