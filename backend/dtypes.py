"""Dtypes are NumPy dtypes; the TF1-style names are aliases of them."""
from __future__ import annotations

import numpy as np

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
bool_ = np.dtype("bool")

_floatx = float32
_TF_NAMES = {"bool": bool_, "float": float32, "double": float64, "half": float16}  # TF's meanings of these names


def as_dtype(dtype) -> np.dtype:
    """Normalise a dtype given as a string, a NumPy type or a dtype."""
    if dtype is None:
        return _floatx
    if isinstance(dtype, str) and dtype in _TF_NAMES:
        return _TF_NAMES[dtype]
    return np.dtype(getattr(dtype, "as_numpy_dtype", dtype))


def floatx() -> str:
    return _floatx.name


def set_floatx(name: str) -> None:
    global _floatx
    _floatx = as_dtype(name)


def is_float(dtype) -> bool:
    return np.issubdtype(as_dtype(dtype), np.floating)


def result_dtype(*dtypes) -> np.dtype:
    """Dtype of a binary op: identical dtypes stay, otherwise NumPy promotion."""
    first = dtypes[0]
    if all(d == first for d in dtypes):
        return first
    return np.result_type(*dtypes)
