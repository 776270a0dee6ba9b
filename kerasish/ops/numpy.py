"""NumPy-like `keras.ops`: each runs eagerly on arrays and adds graph nodes on symbolic tensors."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from kerasish.backend import dtypes
from kerasish.backend.ops import array as A
from kerasish.backend.ops import math as M
from kerasish.backend.registry import is_symbolic

add, subtract, multiply, divide, true_divide = M.add, M.subtract, M.multiply, M.divide, M.divide
power, maximum, minimum = M.power, M.maximum, M.minimum
negative, absolute, abs, exp, log, log1p = M.negative, M.absolute, M.absolute, M.exp, M.log, M.log1p
sqrt, rsqrt, square, sin, cos, tanh, sign, floor, round = M.sqrt, M.rsqrt, M.square, M.sin, M.cos, M.tanh, M.sign, M.floor, M.round_
erf, reciprocal = M.erf, M.reciprocal
equal, not_equal, less, less_equal, greater, greater_equal = M.equal, M.not_equal, M.less, M.less_equal, M.greater, M.greater_equal
logical_and, logical_or, logical_not = M.logical_and, M.logical_or, M.logical_not
zeros_like, ones_like, where, cast = M.zeros_like, M.ones_like, M.where, M.cast
stop_gradient, reverse = A.stop_gradient, A.reverse


def matmul(x1, x2):
    return M.matmul(x1, x2)


def dot(x1, x2):
    return M.matmul(x1, x2)


def _reduction(op):
    def reduce(x, axis=None, keepdims: bool = False):
        return op(x, axis=_axis(axis), keepdims=keepdims)
    reduce.__doc__ = f"{op.name} over `axis` (all axes when None)."
    return reduce


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


sum = _reduction(M.reduce_sum)  # noqa: A001 - Keras name
mean = _reduction(M.reduce_mean)
max = _reduction(M.reduce_max)  # noqa: A001
min = _reduction(M.reduce_min)  # noqa: A001
prod = _reduction(M.reduce_prod)
amax, amin = max, min


def argmax(x, axis: Optional[int] = None):
    return M.argmax(reshape(x, (-1,)) if axis is None else x, axis=-1 if axis is None else axis)


def argmin(x, axis: Optional[int] = None):
    return M.argmin(reshape(x, (-1,)) if axis is None else x, axis=-1 if axis is None else axis)


def var(x, axis=None, keepdims: bool = False):
    centered = subtract(x, mean(x, axis=axis, keepdims=True))
    return mean(square(centered), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims: bool = False):
    return sqrt(var(x, axis, keepdims))


def clip(x, x_min, x_max):
    return M.clip(x, min=float(x_min), max=float(x_max))


def reshape(x, newshape):
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    return A.reshape(x, newshape)


def transpose(x, axes: Optional[Sequence[int]] = None):
    return A.transpose(x, axes)


def expand_dims(x, axis: int):
    return A.expand_dims(x, axis=axis)


def squeeze(x, axis=None):
    return A.squeeze(x, axis=axis)


def concatenate(xs, axis: int = 0):
    return A.concat(list(xs), axis=axis)


def stack(xs, axis: int = 0):
    return A.stack(list(xs), axis=axis)


def split(x, indices_or_sections, axis: int = 0):
    if isinstance(indices_or_sections, int):
        return A.split(x, indices_or_sections, axis=axis)
    bounds = [0] + list(indices_or_sections) + [x.shape[axis]]
    return A.split(x, [b - a for a, b in zip(bounds[:-1], bounds[1:])], axis=axis)


def take(x, indices, axis: Optional[int] = None):
    if axis is None:
        return A.gather(reshape(x, (-1,)), indices, axis=0)
    return A.gather(x, indices, axis=axis)


def tile(x, repeats):
    return A.tile(x, repeats)


def pad(x, pad_width, constant_values: float = 0.0):
    return A.pad(x, pad_width, constant_values)


def shape(x) -> tuple:
    return tuple(x.shape)


def ndim(x) -> int:
    return len(x.shape)


def size(x) -> int:
    return int(np.prod(x.shape))


def convert_to_tensor(x, dtype=None):
    """Symbolic tensors and variables pass through; everything else becomes a NumPy array."""
    if is_symbolic(x):
        return x if dtype is None else cast(x, dtype)
    value = x.value if getattr(x, "_is_variable", False) else x
    return np.asarray(value, dtype=None if dtype is None else dtypes.as_dtype(dtype))


def convert_to_numpy(x) -> np.ndarray:
    if is_symbolic(x) and not getattr(x, "_is_variable", False):
        raise ValueError(f"convert_to_numpy got the symbolic tensor {x!r}: it has no value until the graph runs")
    return np.array(x.value if getattr(x, "_is_variable", False) else x)


def zeros(shape, dtype=None):
    return np.zeros(shape, dtype=dtypes.as_dtype(dtype))


def ones(shape, dtype=None):
    return np.ones(shape, dtype=dtypes.as_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return np.full(shape, fill_value, dtype=dtypes.as_dtype(dtype))


def arange(start, stop=None, step=1, dtype=None):
    return np.arange(start, stop, step, dtype=None if dtype is None else dtypes.as_dtype(dtype))


def eye(n, m=None, dtype=None):
    return np.eye(n, m, dtype=dtypes.as_dtype(dtype))


def linspace(start, stop, num=50, dtype=None):
    return np.linspace(start, stop, num, dtype=None if dtype is None else dtypes.as_dtype(dtype))
