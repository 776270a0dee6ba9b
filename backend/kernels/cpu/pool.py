"""Pooling and nearest-neighbour resizing kernels (NHWC), as loops over window taps.

Max pooling pads with the dtype's lowest value so padding never wins; its gradient goes to
the first maximum of each window (row-major tap order, as TF). Average pooling divides by
the number of non-padded elements of each window (Keras 'same').
"""
from __future__ import annotations

import numpy as np

from ...ops._conv_geometry import pair
from ._windows import ELEMENTWISE_BLOCK_BYTES, Window, image_blocks, pad, scatter_taps, tap, window
from .table import register


def _lowest(dtype):
    return -np.inf if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).min


def _pool_window(x_shape, pool_size, strides, padding) -> Window:
    return window(x_shape, pool_size, pool_size if strides is None else strides, padding)


def _counts(x_shape, win: Window, dtype) -> np.ndarray:
    """(OH, OW, 1) number of non-padded input elements in each window."""
    per_axis = []
    for size, k, out, stride, (before, _) in zip(x_shape[1:3], win.kernel, win.out, win.strides, win.pads):
        start = np.arange(out) * stride - before
        per_axis.append(np.minimum(start + k, size) - np.maximum(start, 0))
    return (per_axis[0][:, None] * per_axis[1][None, :]).astype(dtype)[..., None]


@register("max_pool2d")
def max_pool2d(x, pool_size=(2, 2), strides=None, padding="valid"):
    win = _pool_window(x.shape, pool_size, strides, padding)
    xp = pad(x, win, _lowest(x.dtype))
    taps = win.taps()
    y = tap(xp, win, *next(taps)).copy()
    for i, j in taps:
        np.maximum(y, tap(xp, win, i, j), out=y)
    return y


def _first_max_parts(xp, y, dy, win: Window):
    """Per-tap gradient parts: dy where the tap holds its window's first maximum, else 0."""
    open_, hit = np.ones(y.shape, bool), np.empty(y.shape, bool)
    for i, j in win.taps():
        np.equal(tap(xp, win, i, j), y, out=hit)
        hit &= open_
        open_ ^= hit
        yield (i, j), dy * hit


@register("max_pool2d_grad")
def max_pool2d_grad(dy, x, y, pool_size=(2, 2), strides=None, padding="valid"):
    win = _pool_window(x.shape, pool_size, strides, padding)
    dx = np.empty(x.shape, dy.dtype)
    for rows in image_blocks(x.shape[0], x[:1].nbytes, ELEMENTWISE_BLOCK_BYTES):
        xp = pad(x[rows], win, _lowest(x.dtype))
        dx[rows] = scatter_taps(_first_max_parts(xp, y[rows], dy[rows], win), xp.shape[:1] + x.shape[1:], win, dy.dtype)
    return dx


@register("avg_pool2d")
def avg_pool2d(x, pool_size=(2, 2), strides=None, padding="valid"):
    win = _pool_window(x.shape, pool_size, strides, padding)
    xp = pad(x, win)
    taps = win.taps()
    y = tap(xp, win, *next(taps)).copy()
    for i, j in taps:
        y += tap(xp, win, i, j)
    y /= _counts(x.shape, win, y.dtype)
    return y


@register("avg_pool2d_grad")
def avg_pool2d_grad(dy, like, pool_size=(2, 2), strides=None, padding="valid"):
    win = _pool_window(like.shape, pool_size, strides, padding)
    g = dy / _counts(like.shape, win, dy.dtype)
    return scatter_taps((((i, j), g) for i, j in win.taps()), like.shape, win, dy.dtype)


@register("resize_nearest")
def resize_nearest(x, scale=(2, 2)):
    n, h, w, c = x.shape
    sh, sw = pair(scale, "scale")
    return np.broadcast_to(x[:, :, None, :, None], (n, h, sh, w, sw, c)).reshape(n, h * sh, w * sw, c)


@register("resize_nearest_grad")
def resize_nearest_grad(dy, scale=(2, 2)):
    n, h, w, c = dy.shape
    sh, sw = pair(scale, "scale")
    return dy.reshape(n, h // sh, sh, w // sw, sw, c).sum(axis=(2, 4))
