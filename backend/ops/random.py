"""Graph-level random ops: fresh noise on every run, shaped by an input at run time.

They take their shape from a tensor rather than an attribute, so they work with an
unknown batch size (TF1 dropout with a fed `keep_prob` builds its mask from one).
"""
from __future__ import annotations

from typing import Optional

from .. import dtypes
from ..graph import TensorSpec
from ..registry import ShapeError, define_op


def noise_shape_of(shape: tuple, noise_shape: Optional[tuple]) -> tuple:
    """`noise_shape` with None entries taken from `shape` (the input's shape when None)."""
    if noise_shape is None:
        return tuple(shape)
    if len(noise_shape) != len(shape):
        raise ShapeError(f"noise_shape {noise_shape} must have the input's rank {len(shape)}")
    return tuple(d if n is None else n for n, d in zip(noise_shape, shape))


def _like_infer(x: TensorSpec, minval: float, maxval: float, noise_shape: Optional[tuple]) -> TensorSpec:
    if not dtypes.is_float(x.dtype):
        raise ShapeError(f"random_uniform_like needs a floating-point input, got {x.dtype.name}")
    if not minval < maxval:
        raise ShapeError(f"random_uniform_like needs minval < maxval, got {minval} and {maxval}")
    return TensorSpec(noise_shape_of(x.shape, noise_shape), x.dtype)


# x -> uniform noise in [minval, maxval) of x's shape (or noise_shape) and dtype; x's values are unused.
random_uniform_like = define_op("random_uniform_like", _like_infer,
                                attrs={"minval": 0.0, "maxval": 1.0, "noise_shape": None},
                                random=True, differentiable=False)
