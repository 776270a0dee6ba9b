"""Convolution kernels (NHWC input, HWIO filters): im2col + GEMM, col2im by taps.

conv2d multiplies the (N*OH*OW, kh*kw*cin) patch matrix by the (kh*kw*cin, cout) filter
matrix; the filter gradient is the transposed GEMM over the same patches; the input gradient
is a GEMM to patch gradients followed by one strided add per tap (col2im). The patch matrix
is built and consumed in blocks of whole images (`image_blocks`), so it stays in cache
between the copy and the GEMM and never takes memory proportional to the batch (measured
~1.8x faster than one batch-sized GEMM for MNIST-sized layers). Depthwise convolution has no
channel reduction, so it is a loop over taps of broadcast multiply-adds.
"""
from __future__ import annotations

from typing import Iterator, Tuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._windows import ELEMENTWISE_BLOCK_BYTES, Window, image_blocks, pad, scatter_taps, tap, window
from .table import register


def _is_pointwise(win: Window) -> bool:
    return win.kernel == (1, 1) and win.strides == (1, 1) and win.pads == ((0, 0), (0, 0))


def _patches(xp: np.ndarray, win: Window) -> np.ndarray:
    """(N, OH, OW, kh, kw, C) strided view of the patches of padded `xp` (no copy)."""
    (kh, kw), (oh, ow), (sh, sw), (dh, dw) = win.kernel, win.out, win.strides, win.dilation
    span = ((kh - 1) * dh + 1, (kw - 1) * dw + 1)
    view = sliding_window_view(xp, span, axis=(1, 2))[:, ::sh, ::sw, :, ::dh, ::dw]
    return view[:, :oh, :ow].transpose(0, 1, 2, 4, 5, 3)


def _patch_blocks(x: np.ndarray, win: Window) -> Iterator[Tuple[slice, np.ndarray]]:
    """(batch slice, patch matrix (images*OH*OW, kh*kw*C)) pairs; the matrix buffer is reused."""
    n, c = x.shape[0], x.shape[3]
    (kh, kw), (oh, ow) = win.kernel, win.out
    if _is_pointwise(win):
        yield slice(0, n), x.reshape(n * oh * ow, c)
        return
    blocks = list(image_blocks(n, oh * ow * kh * kw * c * x.itemsize))
    buf = np.empty((blocks[0].stop - blocks[0].start if blocks else 0, oh, ow, kh, kw, c), x.dtype)
    for rows in blocks:
        block = buf[:rows.stop - rows.start]
        np.copyto(block, _patches(pad(x[rows], win), win))
        yield rows, block.reshape(-1, kh * kw * c)


@register("conv2d")
def conv2d(x, w, strides=(1, 1), padding="valid", dilation=(1, 1)):
    win = window(x.shape, w.shape[:2], strides, padding, dilation)
    cout = w.shape[3]
    w2 = w.reshape(-1, cout)
    y = np.empty((x.shape[0], *win.out, cout), np.result_type(x.dtype, w.dtype))
    for rows, cols in _patch_blocks(x, win):
        np.matmul(cols, w2, out=y[rows].reshape(-1, cout))
    return y


@register("conv2d_backprop_input")
def conv2d_backprop_input(dy, w, like, strides=(1, 1), padding="valid", dilation=(1, 1)):
    win = window(like.shape, w.shape[:2], strides, padding, dilation)
    kh, kw, cin, cout = w.shape
    w2t = np.ascontiguousarray(w.reshape(-1, cout).T)
    if _is_pointwise(win):
        return (dy.reshape(-1, cout) @ w2t).reshape(like.shape)
    dtype = np.result_type(dy.dtype, w.dtype)
    dx = np.empty(like.shape, dtype)
    (oh, ow) = win.out
    for rows in image_blocks(dy.shape[0], oh * ow * kh * kw * cin * dy.itemsize):
        dcols = (dy[rows].reshape(-1, cout) @ w2t).reshape(-1, oh, ow, kh, kw, cin)
        images = (rows.stop - rows.start,) + tuple(like.shape[1:])
        dx[rows] = scatter_taps((((i, j), dcols[:, :, :, i, j]) for i, j in win.taps()), images, win, dtype)
    return dx


@register("conv2d_backprop_filter")
def conv2d_backprop_filter(x, dy, kernel_size=(1, 1), strides=(1, 1), padding="valid", dilation=(1, 1)):
    win = window(x.shape, kernel_size, strides, padding, dilation)
    cout = dy.shape[3]
    dw = np.zeros((win.kernel[0] * win.kernel[1] * x.shape[3], cout), np.result_type(x.dtype, dy.dtype))
    for rows, cols in _patch_blocks(x, win):
        dw += cols.T @ dy[rows].reshape(-1, cout)
    return dw.reshape(*win.kernel, x.shape[3], cout)


def _depthwise_filter(w: np.ndarray) -> np.ndarray:
    """(kh, kw, C, M) depthwise filter as (kh, kw, C*M), matching channels of x repeated M times."""
    return w.reshape(*w.shape[:2], -1)


def _repeat_channels(x: np.ndarray, mult: int) -> np.ndarray:
    return x if mult == 1 else np.repeat(x, mult, axis=3)


@register("depthwise_conv2d")
def depthwise_conv2d(x, w, strides=(1, 1), padding="valid", dilation=(1, 1)):
    win = window(x.shape, w.shape[:2], strides, padding, dilation)
    wf = _depthwise_filter(w)
    dtype = np.result_type(x.dtype, w.dtype)
    y = np.empty((x.shape[0], *win.out, wf.shape[2]), dtype)
    for rows in image_blocks(x.shape[0], y[:1].nbytes, ELEMENTWISE_BLOCK_BYTES):
        xp = pad(_repeat_channels(x[rows], w.shape[3]), win)
        acc, tmp = y[rows], np.empty(y[rows].shape, dtype)
        taps = win.taps()
        np.multiply(tap(xp, win, *next(taps)), wf[0, 0], out=acc)
        for i, j in taps:
            acc += np.multiply(tap(xp, win, i, j), wf[i, j], out=tmp)
    return y


@register("depthwise_conv2d_backprop_input")
def depthwise_conv2d_backprop_input(dy, w, like, strides=(1, 1), padding="valid", dilation=(1, 1)):
    win = window(like.shape, w.shape[:2], strides, padding, dilation)
    wf, (c, mult) = _depthwise_filter(w), w.shape[2:]
    dtype = np.result_type(dy.dtype, w.dtype)
    dx = np.empty(like.shape, dtype)
    for rows in image_blocks(dy.shape[0], dy[:1].nbytes, ELEMENTWISE_BLOCK_BYTES):
        dyb = dy[rows]
        images = (dyb.shape[0], *like.shape[1:3], c * mult)
        dxr = scatter_taps((((i, j), dyb * wf[i, j]) for i, j in win.taps()), images, win, dtype)
        dx[rows] = dxr.reshape(*dxr.shape[:3], c, mult).sum(axis=4) if mult > 1 else dxr
    return dx


@register("depthwise_conv2d_backprop_filter")
def depthwise_conv2d_backprop_filter(x, dy, kernel_size=(1, 1), strides=(1, 1), padding="valid", dilation=(1, 1)):
    win = window(x.shape, kernel_size, strides, padding, dilation)
    c, mult = x.shape[3], dy.shape[3] // x.shape[3]
    dtype = np.result_type(x.dtype, dy.dtype)
    dw = np.zeros((*win.kernel, c * mult), dtype)
    for rows in image_blocks(x.shape[0], dy[:1].nbytes, ELEMENTWISE_BLOCK_BYTES):
        xp, dyb = pad(_repeat_channels(x[rows], mult), win), dy[rows]
        tmp = np.empty(dyb.shape, dtype)
        for i, j in win.taps():
            dw[i, j] += np.multiply(tap(xp, win, i, j), dyb, out=tmp).sum(axis=(0, 1, 2))
    return dw.reshape(*win.kernel, c, mult)
