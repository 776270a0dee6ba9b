"""Pooling (NHWC) and nearest-neighbour upsampling, with their gradients; 1-D pooling wrappers.

Pool attributes: pool_size (int or pair), strides (int, pair, or None = pool_size) and
padding ('valid', 'same' or explicit ((top, bottom), (left, right))). 'same' max pooling
ignores padding; 'same' average pooling divides by the number of non-padded elements.
"""
from __future__ import annotations

from typing import Optional

from ..graph import TensorSpec
from ..registry import ShapeError, define_op
from ._conv_geometry import pair, window_2d
from .conv import single

POOL_ATTRS = {"pool_size": (2, 2), "strides": None, "padding": "valid"}


def _pool_infer(x, pool_size, strides, padding):
    if len(x.shape) != 4:
        raise ShapeError(f"pooling needs an input of rank 4 (N, H, W, C), got shape {tuple(x.shape)}")
    pool_size = pair(pool_size, "pool_size")
    (oh, ow), _ = window_2d(x.shape[1:3], pool_size, pool_size if strides is None else strides, (1, 1), padding)
    return TensorSpec((x.shape[0], oh, ow, x.shape[3]), x.dtype)


def _like_input(dy, x, *_, **__):
    return TensorSpec(x.shape, dy.dtype)


max_pool2d = define_op("max_pool2d", _pool_infer, attrs=dict(POOL_ATTRS))
max_pool2d_grad = define_op("max_pool2d_grad", _like_input, attrs=dict(POOL_ATTRS), differentiable=False)
avg_pool2d = define_op("avg_pool2d", _pool_infer, attrs=dict(POOL_ATTRS))
avg_pool2d_grad = define_op("avg_pool2d_grad", _like_input, attrs=dict(POOL_ATTRS), differentiable=False)

max_pool2d.gradient(lambda node, dy: max_pool2d_grad(dy, node.inputs[0], node.outputs[0], **node.attrs))
avg_pool2d.gradient(lambda node, dy: avg_pool2d_grad(dy, node.inputs[0], **node.attrs))


def _pool1d(pool2d, x, pool_size, strides, padding, name):
    """1-D pooling of x (N, W, C), run as 2-D pooling of a height-1 image."""
    from .array import expand_dims, squeeze

    strides = None if strides is None else (1, single(strides, "strides"))
    y = pool2d(expand_dims(x, axis=1), pool_size=(1, single(pool_size, "pool_size")), strides=strides,
               padding=padding, name=name)
    return squeeze(y, axis=1)


def max_pool1d(x, pool_size=2, strides=None, padding: str = "valid", name: Optional[str] = None):
    """Max pooling of x (N, W, C) over windows of `pool_size` steps."""
    return _pool1d(max_pool2d, x, pool_size, strides, padding, name)


def avg_pool1d(x, pool_size=2, strides=None, padding: str = "valid", name: Optional[str] = None):
    """Average pooling of x (N, W, C) over windows of `pool_size` steps."""
    return _pool1d(avg_pool2d, x, pool_size, strides, padding, name)


def _resize_infer(x, scale):
    if len(x.shape) != 4:
        raise ShapeError(f"resize_nearest needs an input of rank 4 (N, H, W, C), got shape {tuple(x.shape)}")
    sh, sw = pair(scale, "scale")
    h, w = x.shape[1:3]
    return TensorSpec((x.shape[0], None if h is None else h * sh, None if w is None else w * sw, x.shape[3]), x.dtype)


def _resize_grad_infer(dy, scale):
    sh, sw = pair(scale, "scale")
    h, w = dy.shape[1:3]
    if (h is not None and h % sh) or (w is not None and w % sw):
        raise ShapeError(f"gradient of spatial size {(h, w)} is not a multiple of the scale {(sh, sw)}")
    return TensorSpec((dy.shape[0], None if h is None else h // sh, None if w is None else w // sw, dy.shape[3]), dy.dtype)


resize_nearest = define_op("resize_nearest", _resize_infer, attrs={"scale": (2, 2)})
resize_nearest_grad = define_op("resize_nearest_grad", _resize_grad_infer, attrs={"scale": (2, 2)}, differentiable=False)
resize_nearest.gradient(lambda node, dy: resize_nearest_grad(dy, **node.attrs))
