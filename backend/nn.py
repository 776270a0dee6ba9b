"""`tf.nn`: TF1 signatures (4-element strides, 'SAME'/'VALID', keep_prob) over the backend ops."""
from __future__ import annotations

from numbers import Real
from typing import Optional, Sequence, Tuple

from .ops import conv as _conv
from .ops import nn as _nn
from .ops import pool as _pooling
from .ops.array import squeeze, stop_gradient
from .ops.math import (bias_add, divide, elu, floor, leaky_relu, multiply, reduce_mean, reduce_sum, relu, relu6,
                       sigmoid, softplus, softsign, square, squared_difference, tanh)
from .ops.nn import embedding_lookup as _embedding_lookup
from .ops.nn import l2_normalize as _l2_normalize
from .ops.random import random_uniform_like

__all__ = ["avg_pool", "bias_add", "conv2d", "dropout", "elu", "embedding_lookup", "l2_loss", "l2_normalize",
           "leaky_relu", "log_softmax", "max_pool", "moments", "relu", "relu6", "sigmoid",
           "sigmoid_cross_entropy_with_logits", "softmax", "softmax_cross_entropy_with_logits",
           "softmax_cross_entropy_with_logits_v2", "softplus", "softsign", "sparse_softmax_cross_entropy_with_logits",
           "tanh"]


def softmax(logits, axis: int = -1, name: Optional[str] = None, dim: Optional[int] = None):
    return _nn.softmax(logits, axis=axis if dim is None else dim, name=name)


def log_softmax(logits, axis: int = -1, name: Optional[str] = None, dim: Optional[int] = None):
    return _nn.log_softmax(logits, axis=axis if dim is None else dim, name=name)


# ---- cross-entropies (keyword-only, as TF1 insists) ------------------------------------
def _last_axis_only(axis: int, logits) -> None:
    if axis not in (-1, len(logits.shape) - 1):
        raise ValueError(f"softmax cross-entropy here takes classes on the last axis, got axis={axis}")


def softmax_cross_entropy_with_logits_v2(*, labels, logits, axis: int = -1, name: Optional[str] = None):
    """Per-example -sum(labels * log_softmax(logits)); gradients reach labels too."""
    _last_axis_only(axis, logits)
    return _nn.softmax_cross_entropy(labels, logits, name=name)[0]


def softmax_cross_entropy_with_logits(*, labels, logits, dim: int = -1, name: Optional[str] = None):
    """As the v2 form, but (TF1) no gradient flows into `labels`."""
    return softmax_cross_entropy_with_logits_v2(labels=stop_gradient(labels), logits=logits, axis=dim, name=name)


def sparse_softmax_cross_entropy_with_logits(*, labels, logits, name: Optional[str] = None):
    """Per-example cross-entropy against integer class `labels` (shape of logits less the class axis)."""
    return _nn.sparse_softmax_cross_entropy(labels, logits, name=name)[0]


def sigmoid_cross_entropy_with_logits(*, labels, logits, name: Optional[str] = None):
    """Elementwise binary cross-entropy of `labels` against sigmoid(`logits`), computed stably."""
    return _nn.sigmoid_cross_entropy(labels, logits, name=name)


# ---- convolution and pooling (NHWC) -----------------------------------------------------
def _hw(value, what: str) -> Tuple[int, int]:
    """TF1 window arguments as (h, w): an int, [h, w] or the 4-element [1, h, w, 1]."""
    values = (value,) if isinstance(value, int) else tuple(int(v) for v in value)
    if len(values) == 4:
        if values[0] != 1 or values[3] != 1:
            raise ValueError(f"{what} {list(values)}: the batch and channel entries must be 1 (NHWC)")
        return values[1], values[2]
    if len(values) in (1, 2):
        return (values[0], values[-1])
    raise ValueError(f"{what} must be an int, [h, w] or [1, h, w, 1], got {value!r}")


def _padding(padding):
    """'SAME' / 'VALID' (any case), or explicit [[0, 0], [t, b], [l, r], [0, 0]] pairs."""
    if isinstance(padding, str):
        mode = padding.lower()
        if mode not in ("same", "valid"):
            raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
        return mode
    pairs = tuple(tuple(int(p) for p in pair) for pair in padding)
    return pairs[1:3] if len(pairs) == 4 else pairs


def _nhwc(data_format: str) -> None:
    if data_format != "NHWC":
        raise ValueError(f"only data_format='NHWC' is supported, got {data_format!r}")


def conv2d(input, filter=None, strides: Sequence[int] = (1, 1, 1, 1), padding="VALID",  # noqa: A002 (TF1 names)
           use_cudnn_on_gpu: bool = True, data_format: str = "NHWC", dilations=(1, 1, 1, 1),
           name: Optional[str] = None, filters=None):
    """2-D convolution of `input` (N, H, W, C) with `filter` (kh, kw, in, out)."""
    _nhwc(data_format)
    w = filters if filter is None else filter
    return _conv.conv2d(input, w, strides=_hw(strides, "strides"), padding=_padding(padding),
                        dilation=_hw(dilations, "dilations"), name=name)


def _windowed(op, value, ksize, strides, padding, data_format, name):
    _nhwc(data_format)
    return op(value, pool_size=_hw(ksize, "ksize"), strides=_hw(strides, "strides"), padding=_padding(padding), name=name)


def max_pool(value, ksize, strides, padding, data_format: str = "NHWC", name: Optional[str] = None):
    """Max pooling of `value` (N, H, W, C) over `ksize` windows."""
    return _windowed(_pooling.max_pool2d, value, ksize, strides, padding, data_format, name)


def avg_pool(value, ksize, strides, padding, data_format: str = "NHWC", name: Optional[str] = None):
    """Average pooling of `value` (N, H, W, C); 'SAME' divides by the unpadded count."""
    return _windowed(_pooling.avg_pool2d, value, ksize, strides, padding, data_format, name)


# ---- dropout ------------------------------------------------------------------------------
def dropout(x, keep_prob=None, noise_shape: Optional[Sequence[Optional[int]]] = None, seed: Optional[int] = None,
            name: Optional[str] = None, rate=None):
    """Zero each element with probability `rate` (= 1 - keep_prob) and scale the rest by 1/keep_prob.

    `keep_prob` / `rate` may be a tensor (e.g. a placeholder fed 0.5 when training and 1.0
    when testing): the mask is then floor(keep_prob + uniform noise), drawn every run. The
    noise comes from the device generator (`set_random_seed`); `seed` is accepted for TF1
    compatibility.
    """
    if (keep_prob is None) == (rate is None):
        raise ValueError("dropout needs exactly one of keep_prob and rate")
    noise_shape = None if noise_shape is None else tuple(noise_shape)
    if isinstance(keep_prob, Real) or isinstance(rate, Real):
        drop = float(rate) if rate is not None else 1.0 - float(keep_prob)
        if drop == 0.0:
            return x
        return _nn.dropout(x, rate=drop, noise_shape=noise_shape, name=name)[0]
    keep = 1.0 - rate if keep_prob is None else keep_prob
    mask = floor(random_uniform_like(x, noise_shape=noise_shape) + keep)
    return multiply(divide(x, keep), mask, name=name)


# ---- small helpers ----------------------------------------------------------------------
def l2_loss(t, name: Optional[str] = None):
    """sum(t ** 2) / 2."""
    return multiply(reduce_sum(square(t)), 0.5, name=name)


def l2_normalize(x, axis: int = -1, epsilon: float = 1e-12, name: Optional[str] = None, dim: Optional[int] = None):
    return _l2_normalize(x, axis=axis if dim is None else dim, epsilon=epsilon, name=name)


def embedding_lookup(params, ids, name: Optional[str] = None):
    """Rows of `params` (V, D) at integer `ids`: ids.shape + (D,)."""
    return _embedding_lookup(params, ids, name=name)


def moments(x, axes: Sequence[int], keepdims: bool = False, name: Optional[str] = None, keep_dims: Optional[bool] = None):
    """(mean, variance) of `x` over `axes`, the variance about a gradient-stopped mean (as TF)."""
    axes = tuple(axes)
    mean = reduce_mean(x, axis=axes, keepdims=True)
    variance = reduce_mean(squared_difference(x, stop_gradient(mean)), axis=axes, keepdims=True)
    if not (keepdims or keep_dims):
        mean, variance = squeeze(mean, axis=axes), squeeze(variance, axis=axes)
    return mean, variance
