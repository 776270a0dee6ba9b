"""Accuracy metrics: exact, binary (thresholded), categorical, sparse categorical, top-k."""
from __future__ import annotations

import numpy as np

from .metric import squeeze_or_expand_to_same_rank
from .reduction import MeanMetricWrapper


def _float_pair(y_true, y_pred):
    y_pred = np.asarray(y_pred)
    return squeeze_or_expand_to_same_rank(np.asarray(y_true, dtype=y_pred.dtype), y_pred)


def accuracy(y_true, y_pred) -> np.ndarray:
    """Fraction of exactly equal entries over the last axis."""
    y_true, y_pred = _float_pair(y_true, y_pred)
    return np.mean(y_true == y_pred, axis=-1)


def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> np.ndarray:
    """Fraction of entries where (y_pred > threshold) equals y_true, over the last axis."""
    y_true, y_pred = _float_pair(y_true, y_pred)
    return np.mean(y_true == (y_pred > threshold), axis=-1)


def categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """1 where argmax(y_pred) == argmax(y_true) (one-hot labels), per sample."""
    return (np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)).astype(np.float64)


def sparse_ids(y_true, y_pred: np.ndarray) -> np.ndarray:
    """Integer labels of shape y_pred.shape[:-1]: a trailing size-1 axis, (batch, 1), is dropped."""
    y_true = np.asarray(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return y_true


def sparse_categorical_accuracy(y_true, y_pred) -> np.ndarray:
    """1 where argmax(y_pred) equals the integer label; labels (batch,) or (batch, 1) give (batch,)."""
    y_pred = np.asarray(y_pred)
    y_true = sparse_ids(y_true, y_pred)
    if y_pred.ndim > y_true.ndim:
        y_pred = np.argmax(y_pred, axis=-1)
    return (y_true.astype(np.float64) == y_pred).astype(np.float64)


def _in_top_k(targets: np.ndarray, predictions: np.ndarray, k: int) -> np.ndarray:
    """As tf.math.in_top_k: ties at the boundary count as inside; bad targets count as outside."""
    num_classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < num_classes)
    score = np.take_along_axis(predictions, np.where(valid, targets, 0)[:, None], axis=-1)[:, 0]
    above = np.sum(predictions > score[:, None], axis=-1)
    return valid & np.isfinite(score) & (above < k)


def _top_k(ids, y_pred, k: int) -> np.ndarray:
    """Per-sample top-k hits for integer `ids` shaped like y_pred without its class axis."""
    y_pred = np.asarray(y_pred)
    ids = np.asarray(ids).astype(np.int64)
    hits = _in_top_k(ids.reshape(-1), y_pred.reshape(-1, y_pred.shape[-1]), k)
    return hits.reshape(ids.shape).astype(np.float64)


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> np.ndarray:
    """1 where the one-hot label's class is among the k highest predictions."""
    return _top_k(np.argmax(y_true, axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k: int = 5, from_sorted_ids: bool = False) -> np.ndarray:
    """1 where the integer label is among the k highest predictions (or, with `from_sorted_ids`,
    among the first k entries of y_pred, which then holds class ids sorted by score)."""
    y_pred = np.asarray(y_pred)
    y_true = sparse_ids(y_true, y_pred)
    if from_sorted_ids:
        return np.any(y_pred[..., :k] == y_true[..., None], axis=-1).astype(np.float64)
    return _top_k(y_true, y_pred, k)


class Accuracy(MeanMetricWrapper):
    def __init__(self, name: str = "accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    def __init__(self, name: str = "binary_accuracy", dtype=None, threshold: float = 0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name: str = "categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, name: str = "sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids: bool = False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
