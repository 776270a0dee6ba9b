"""TF1 names on top of the graph core: value creators, variable collections, TF1 reductions.

The creators (`constant`, `zeros`, `random_normal`, ...) are eager: they return NumPy
arrays (random ones drawn from the device generator, so `set_random_seed` repeats them),
which is what `Variable(tf.random_normal([784, 10], stddev=0.1))` needs and what any op
accepts as a constant input.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from . import dtypes
from .device import get_device
from .graph import Node, Tensor, get_default_graph
from .ops import math as _math
from .ops.array import group
from .registry import to_tensor

Shape = Sequence[int]


def _shape(shape) -> tuple:
    if isinstance(shape, Tensor):
        raise TypeError(f"shape must be known ints, got the symbolic tensor '{shape.name}'")
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(d) for d in shape)


def _python_dtype(value) -> Optional[np.dtype]:
    """TF's inference for Python values: floats are float32, ints int32 (NumPy keeps its own)."""
    if isinstance(value, (np.ndarray, np.generic)):
        return None
    kind = np.asarray(value).dtype.kind
    return {"f": dtypes.as_dtype(None), "i": dtypes.int32}.get(kind)


# ---- value creators -------------------------------------------------------------------
def constant(value, dtype=None, shape: Optional[Shape] = None, name: Optional[str] = None) -> np.ndarray:
    """`value` as an array of `dtype`; a scalar fills `shape`, a same-size value is reshaped to it."""
    dtype = dtypes.as_dtype(dtype) if dtype is not None else _python_dtype(value)
    array = np.array(value, dtype=dtype)
    if shape is None:
        return array
    shape = _shape(shape)
    if array.size == 1:
        return np.full(shape, array.reshape(()), dtype=array.dtype)
    if array.size == int(np.prod(shape, dtype=np.int64)):
        return array.reshape(shape)
    raise ValueError(f"constant: a value with {array.size} elements does not fit shape {shape}")


def fill(dims: Shape, value, dtype=None, name: Optional[str] = None) -> np.ndarray:
    """An array of shape `dims` filled with `value`."""
    return constant(value, dtype=dtype, shape=dims)


def zeros(shape: Shape, dtype=dtypes.float32, name: Optional[str] = None) -> np.ndarray:
    return np.zeros(_shape(shape), dtype=dtypes.as_dtype(dtype))


def ones(shape: Shape, dtype=dtypes.float32, name: Optional[str] = None) -> np.ndarray:
    return np.ones(_shape(shape), dtype=dtypes.as_dtype(dtype))


def _rng(seed: Optional[int]):
    """An op-level seed gives a generator of its own (repeatable); otherwise the device's."""
    return np.random.default_rng(seed) if seed is not None else get_device().rng


def _draw(sample, dtype) -> np.ndarray:
    return np.asarray(get_device().to_numpy(sample)).astype(dtypes.as_dtype(dtype), copy=False)


def random_normal(shape: Shape, mean: float = 0.0, stddev: float = 1.0, dtype=dtypes.float32,
                  seed: Optional[int] = None, name: Optional[str] = None) -> np.ndarray:
    """Normal samples of `shape`."""
    return _draw(_rng(seed).normal(mean, stddev, _shape(shape)), dtype)


def truncated_normal(shape: Shape, mean: float = 0.0, stddev: float = 1.0, dtype=dtypes.float32,
                     seed: Optional[int] = None, name: Optional[str] = None) -> np.ndarray:
    """Normal samples of `shape`, redrawn until all lie within two standard deviations."""
    rng = _rng(seed)
    sample = np.asarray(get_device().to_numpy(rng.standard_normal(_shape(shape))))
    outside = np.abs(sample) > 2.0
    while outside.any():
        sample[outside] = np.asarray(get_device().to_numpy(rng.standard_normal(int(outside.sum()))))
        outside = np.abs(sample) > 2.0
    return _draw(sample * stddev + mean, dtype)


def random_uniform(shape: Shape, minval=0, maxval=None, dtype=dtypes.float32,
                   seed: Optional[int] = None, name: Optional[str] = None) -> np.ndarray:
    """Uniform samples in [minval, maxval); maxval defaults to 1 for floats and is required for ints."""
    dtype = dtypes.as_dtype(dtype)
    rng = _rng(seed)
    if dtype.kind in "iu":
        if maxval is None:
            raise ValueError("random_uniform with an integer dtype needs maxval")
        return _draw(rng.integers(minval, maxval, _shape(shape)), dtype)
    return _draw(rng.uniform(minval, 1.0 if maxval is None else maxval, _shape(shape)), dtype)


def convert_to_tensor(value, dtype=None, name: Optional[str] = None) -> Tensor:
    """A symbolic tensor for `value` (tensors pass, variables are read, the rest become constants)."""
    tensor = to_tensor(value)
    return tensor if dtype is None else _math.cast(tensor, dtype)


# ---- variables --------------------------------------------------------------------------
def global_variables() -> list:
    """The variables of the default graph, in creation order."""
    seen: dict = {}
    for variable in get_default_graph().variables:
        seen.setdefault(id(variable), variable)
    return list(seen.values())


all_variables = global_variables


def trainable_variables() -> list:
    return [v for v in global_variables() if v.trainable]


def variables_initializer(var_list: Sequence, name: str = "init") -> Node:
    """One op that resets each variable of `var_list` to its initial value."""
    return group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer() -> Node:
    return variables_initializer(global_variables())


initialize_all_variables = global_variables_initializer


# ---- TF1 reductions (reduction_indices / keep_dims spellings) ---------------------------
def _tf1_reduction(op):
    def reduce(input_tensor, axis=None, keepdims: Optional[bool] = None, name: Optional[str] = None,
               reduction_indices=None, keep_dims: Optional[bool] = None):
        axis = reduction_indices if axis is None else axis
        keep = bool(keepdims if keepdims is not None else keep_dims)
        return op(input_tensor, axis=axis, keepdims=keep, name=name)

    reduce.__name__ = op.name
    reduce.__doc__ = f"TF1 `{op.name}` over `axis` (or `reduction_indices`); all axes when None."
    return reduce


reduce_sum = _tf1_reduction(_math.reduce_sum)
reduce_mean = _tf1_reduction(_math.reduce_mean)
reduce_max = _tf1_reduction(_math.reduce_max)
reduce_min = _tf1_reduction(_math.reduce_min)
reduce_prod = _tf1_reduction(_math.reduce_prod)
