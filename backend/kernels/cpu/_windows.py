"""Sliding-window helpers shared by the conv and pool kernels (NHWC arrays).

A window op visits kernel taps (i, j); for each tap the input positions it reads form one
strided slice of the padded input, so every kernel here is a loop over taps of whole-array
slices (or one GEMM over their concatenation), never a loop over pixels.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple, Sequence, Tuple

import numpy as np

from ...ops._conv_geometry import pair, window_2d


class Window(NamedTuple):
    """Where a 2-D window op reads: kernel size, output size, padding, strides, dilation."""

    kernel: Tuple[int, int]
    out: Tuple[int, int]
    pads: Tuple[Tuple[int, int], Tuple[int, int]]
    strides: Tuple[int, int]
    dilation: Tuple[int, int]

    def taps(self):
        return ((i, j) for i in range(self.kernel[0]) for j in range(self.kernel[1]))

    def padded_shape(self, shape: Sequence[int]) -> tuple:
        (top, bottom), (left, right) = self.pads
        return (shape[0], shape[1] + top + bottom, shape[2] + left + right) + tuple(shape[3:])


BLOCK_BYTES = 1 << 22  # im2col patch blocks: cache-resident between the copy and the GEMM
ELEMENTWISE_BLOCK_BYTES = 1 << 20  # per-tap elementwise passes: about one L2 cache


def image_blocks(n: int, bytes_per_image: int, budget: int = BLOCK_BYTES) -> Iterator[slice]:
    """Batch slices of whole images with about `budget` bytes of working data each.

    Kernels loop over these (a handful of iterations, each fully vectorised) so that their
    temporaries stay in cache between passes and never grow with the batch size.
    """
    per = max(1, budget // max(1, bytes_per_image))
    return (slice(start, min(start + per, n)) for start in range(0, n, per))


def window(x_shape: Sequence[int], kernel, strides, padding, dilation=(1, 1)) -> Window:
    kernel = pair(kernel, "kernel size")
    out, pads = window_2d(x_shape[1:3], kernel, strides, dilation, padding)
    return Window(kernel, out, pads, pair(strides, "strides"), pair(dilation, "dilation"))


def pad(x: np.ndarray, win: Window, value=0) -> np.ndarray:
    """`x` with its spatial borders padded by `value` (no copy when there is no padding)."""
    (top, bottom), (left, right) = win.pads
    if not (top or bottom or left or right):
        return x
    out = np.empty(win.padded_shape(x.shape), x.dtype)
    h, w = x.shape[1:3]
    out[:, :top] = value
    out[:, top + h:] = value
    out[:, top:top + h, :left] = value
    out[:, top:top + h, left + w:] = value
    out[:, top:top + h, left:left + w] = x
    return out


def crop(xp: np.ndarray, win: Window) -> np.ndarray:
    """Inverse of `pad`: the interior of a padded array."""
    (top, bottom), (left, right) = win.pads
    return xp[:, top:xp.shape[1] - bottom, left:xp.shape[2] - right]


def tap(xp: np.ndarray, win: Window, i: int, j: int) -> np.ndarray:
    """The strided view of padded `xp` that kernel tap (i, j) reads, shape (N, OH, OW, ...)."""
    (oh, ow), (sh, sw), (dh, dw) = win.out, win.strides, win.dilation
    r, c = i * dh, j * dw
    return xp[:, r:r + (oh - 1) * sh + 1:sh, c:c + (ow - 1) * sw + 1:sw]


def scatter_taps(contributions, x_shape: Sequence[int], win: Window, dtype) -> np.ndarray:
    """Sum per-tap contributions (iterable of ((i, j), array (N, OH, OW, C))) back onto the input grid."""
    dxp = np.zeros(win.padded_shape(x_shape), dtype)
    for (i, j), value in contributions:
        target = tap(dxp, win, i, j)
        target += value
    return crop(dxp, win)
