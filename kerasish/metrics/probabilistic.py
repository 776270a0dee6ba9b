"""Crossentropy metrics (host-side NumPy twins of the losses), used e.g. for "crossentropy"."""
from __future__ import annotations

import numpy as np

from kerasish.losses.loss import EPSILON

from .accuracy import sparse_ids
from .metric import squeeze_or_expand_to_same_rank
from .reduction import MeanMetricWrapper


def _clip(p: np.ndarray) -> np.ndarray:
    return np.clip(p, EPSILON, 1.0 - EPSILON)


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def binary_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0,
                        axis: int = -1) -> np.ndarray:
    y_true, y_pred = squeeze_or_expand_to_same_rank(np.asarray(y_true, dtype=np.float64),
                                                    np.asarray(y_pred, dtype=np.float64))
    y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        elementwise = np.maximum(y_pred, 0) - y_pred * y_true + np.log1p(np.exp(-np.abs(y_pred)))
    else:
        p = _clip(y_pred)
        elementwise = -(y_true * np.log(p) + (1.0 - y_true) * np.log(1.0 - p))
    return np.mean(elementwise, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0,
                             axis: int = -1) -> np.ndarray:
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[axis]
    if from_logits:
        log_p = _log_softmax(y_pred, axis)
    else:
        log_p = np.log(_clip(y_pred / np.sum(y_pred, axis=axis, keepdims=True)))
    return -np.sum(y_true * log_p, axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False, axis: int = -1) -> np.ndarray:
    y_pred = np.moveaxis(np.asarray(y_pred, dtype=np.float64), axis, -1)
    ids = sparse_ids(y_true, y_pred).astype(np.int64)
    log_p = _log_softmax(y_pred if from_logits else np.log(_clip(y_pred)), -1)
    return -np.take_along_axis(log_p, ids[..., None], axis=-1)[..., 0]


class BinaryCrossentropy(MeanMetricWrapper):
    def __init__(self, name: str = "binary_crossentropy", dtype=None, from_logits: bool = False,
                 label_smoothing: float = 0.0, axis: int = -1):
        super().__init__(binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(MeanMetricWrapper):
    def __init__(self, name: str = "categorical_crossentropy", dtype=None, from_logits: bool = False,
                 label_smoothing: float = 0.0, axis: int = -1):
        super().__init__(categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    def __init__(self, name: str = "sparse_categorical_crossentropy", dtype=None, from_logits: bool = False,
                 axis: int = -1):
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         axis=axis)
