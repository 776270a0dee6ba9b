"""Probabilistic losses: binary / categorical / sparse categorical crossentropy, KL divergence.

Probability inputs are clipped to [1e-7, 1 - 1e-7] as Keras does; `from_logits=True` uses
the fused, numerically stable backend ops (which also give the best gradients).
"""
from __future__ import annotations

from typing import Optional

from kerasish.backend import dtypes
from kerasish.backend.ops.array import expand_dims, squeeze, transpose
from kerasish.backend.ops.math import (
    add,
    cast,
    clip,
    divide,
    log,
    multiply,
    negative,
    not_equal,
    reduce_mean,
    reduce_sum,
    subtract,
    where,
)
from kerasish.backend.ops.nn import sigmoid_cross_entropy, softmax_cross_entropy, sparse_softmax_cross_entropy

from .loss import EPSILON, LossFunctionWrapper, convert, squeeze_or_expand_to_same_rank


def _clip_probs(p):
    return clip(p, min=EPSILON, max=1.0 - EPSILON)


def _smooth(y_true, label_smoothing: float, num_classes):
    """Labels squeezed towards the uniform distribution over `num_classes`."""
    if not label_smoothing:
        return y_true
    if num_classes is None:
        raise ValueError("label_smoothing needs a known number of classes on the class axis")
    return add(multiply(y_true, 1.0 - label_smoothing), label_smoothing / num_classes)


def _axis_last(x, axis: int):
    """`x` with `axis` moved to the end (the fused ops work on the last axis)."""
    rank = len(x.shape)
    axis = axis % rank
    if axis == rank - 1:
        return x
    return transpose(x, [a for a in range(rank) if a != axis] + [axis])


def _float_pair(y_true, y_pred):
    y_pred = convert(y_pred)
    return squeeze_or_expand_to_same_rank(convert(y_true, y_pred.dtype), y_pred)


def binary_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1):
    """Elementwise binary crossentropy, averaged over `axis`."""
    y_true, y_pred = _float_pair(y_true, y_pred)
    y_true = _smooth(y_true, label_smoothing, 2)
    if from_logits:
        elementwise = sigmoid_cross_entropy(y_true, y_pred)
    else:
        p = _clip_probs(y_pred)
        elementwise = negative(add(multiply(y_true, log(p)), multiply(subtract(1.0, y_true), log(subtract(1.0, p)))))
    return reduce_mean(elementwise, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1):
    """Crossentropy between one-hot (or soft) labels and a distribution over `axis`."""
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"`axis` must be an int, got axis={axis!r}")
    y_true, y_pred = _float_pair(y_true, y_pred)
    y_true = _smooth(y_true, label_smoothing, y_true.shape[axis])
    if from_logits:
        return softmax_cross_entropy(_axis_last(y_true, axis), _axis_last(y_pred, axis))[0]
    p = _clip_probs(divide(y_pred, reduce_sum(y_pred, axis=axis, keepdims=True)))
    return negative(reduce_sum(multiply(y_true, log(p)), axis=axis))


def _sparse_labels(y_true, y_pred):
    """Integer class ids with a trailing size-1 axis dropped (Keras accepts (batch, 1) labels)."""
    y_true = convert(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = squeeze(y_true, axis=-1)
    return y_true


def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False, ignore_class: Optional[int] = None,
                                    axis: int = -1):
    """Crossentropy with integer labels; entries equal to `ignore_class` get loss 0."""
    y_pred = _axis_last(convert(y_pred), axis)
    y_true = _sparse_labels(y_true, y_pred)
    if ignore_class is not None:
        valid = not_equal(y_true, ignore_class)
        y_true = where(valid, y_true, 0)
        y_pred = multiply(y_pred, cast(expand_dims(valid, axis=-1), y_pred.dtype))
    labels = y_true if y_true.dtype.kind in "iu" else cast(y_true, dtypes.int32)
    logits = y_pred if from_logits else log(_clip_probs(y_pred))
    loss = sparse_softmax_cross_entropy(labels, logits)[0]
    return loss if ignore_class is None else where(valid, loss, 0.0)


def kl_divergence(y_true, y_pred):
    """sum(y_true * log(y_true / y_pred)) over the last axis, both clipped to [1e-7, 1]."""
    y_true, y_pred = _float_pair(y_true, y_pred)
    y_true = clip(y_true, min=EPSILON, max=1.0)
    y_pred = clip(y_pred, min=EPSILON, max=1.0)
    return reduce_sum(multiply(y_true, log(divide(y_true, y_pred))), axis=-1)


class BinaryCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Optional[str] = "sum_over_batch_size", name: str = "binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Optional[str] = "sum_over_batch_size", name: str = "categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Entries whose label is `ignore_class` are left out of the mean (masked), as in Keras."""

    def __init__(self, from_logits: bool = False, ignore_class: Optional[int] = None,
                 reduction: Optional[str] = "sum_over_batch_size", name: str = "sparse_categorical_crossentropy",
                 dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class)

    def compute_mask(self, y_true, y_pred):
        ignore_class = self._fn_kwargs["ignore_class"]
        if ignore_class is None:
            return None
        return not_equal(_sparse_labels(y_true, y_pred), ignore_class)


class KLDivergence(LossFunctionWrapper):
    def __init__(self, reduction: Optional[str] = "sum_over_batch_size", name: str = "kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)
