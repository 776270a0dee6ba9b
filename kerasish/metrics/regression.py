"""Regression metrics: mean squared error and mean absolute error (host-side NumPy)."""
from __future__ import annotations

import numpy as np

from .metric import squeeze_or_expand_to_same_rank
from .reduction import MeanMetricWrapper


def _difference(y_true, y_pred) -> np.ndarray:
    y_true, y_pred = squeeze_or_expand_to_same_rank(np.asarray(y_true, dtype=np.float64),
                                                    np.asarray(y_pred, dtype=np.float64))
    return y_true - y_pred


def mean_squared_error(y_true, y_pred) -> np.ndarray:
    return np.mean(np.square(_difference(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred) -> np.ndarray:
    return np.mean(np.abs(_difference(y_true, y_pred)), axis=-1)


class MeanSquaredError(MeanMetricWrapper):
    def __init__(self, name: str = "mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    def __init__(self, name: str = "mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)
