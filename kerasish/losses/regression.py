"""Regression losses: mean squared error, mean absolute error, Huber."""
from __future__ import annotations

from typing import Optional

from kerasish.backend.ops.math import absolute, less_equal, multiply, reduce_mean, square, subtract, where

from .loss import LossFunctionWrapper, convert, squeeze_or_expand_to_same_rank


def _pair(y_true, y_pred):
    """`y_pred` and `y_true` (cast to `y_pred`'s dtype) with ranks matched."""
    y_pred = convert(y_pred)
    return squeeze_or_expand_to_same_rank(convert(y_true, y_pred.dtype), y_pred)


def mean_squared_error(y_true, y_pred):
    """mean((y_true - y_pred)**2) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    return reduce_mean(square(subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_true - y_pred|) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    return reduce_mean(absolute(subtract(y_true, y_pred)), axis=-1)


def huber(y_true, y_pred, delta: float = 1.0):
    """Quadratic for |error| <= delta, linear beyond; mean over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    error = subtract(y_pred, y_true)
    abs_error = absolute(error)
    quadratic = multiply(square(error), 0.5)
    linear = subtract(multiply(abs_error, float(delta)), 0.5 * float(delta) ** 2)
    return reduce_mean(where(less_equal(abs_error, float(delta)), quadratic, linear), axis=-1)


class MeanSquaredError(LossFunctionWrapper):
    def __init__(self, reduction: Optional[str] = "sum_over_batch_size", name: str = "mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    def __init__(self, reduction: Optional[str] = "sum_over_batch_size", name: str = "mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class Huber(LossFunctionWrapper):
    def __init__(self, delta: float = 1.0, reduction: Optional[str] = "sum_over_batch_size", name: str = "huber_loss",
                 dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)
