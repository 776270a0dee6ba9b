"""Convolutions (NHWC inputs, HWIO filters): conv2d, depthwise_conv2d, their gradients, conv1d.

Attributes of every op here: strides (int or pair), padding ('valid', 'same' or
((top, bottom), (left, right))) and dilation (int or pair), with TF 'same' semantics.
The gradient ops take the forward input as `like` (its runtime shape is the target, so an
unknown batch size works) and the filter's spatial size as the `kernel_size` attribute.
"""
from __future__ import annotations

from typing import Optional, Tuple

from .. import dtypes
from ..graph import TensorSpec
from ..registry import ShapeError, define_op
from ._conv_geometry import pair, window_2d
from ._shapes import dims_match

WINDOW_ATTRS = {"strides": (1, 1), "padding": "valid", "dilation": (1, 1)}


def _check_rank4(spec, what: str) -> None:
    if len(spec.shape) != 4:
        raise ShapeError(f"{what} must have rank 4, got shape {tuple(spec.shape)}")


def _kernel_hw(w) -> Tuple[int, int]:
    if None in tuple(w.shape[:2]):
        raise ShapeError(f"the filter's spatial size must be known, got filter shape {tuple(w.shape)}")
    return tuple(w.shape[:2])


def _out_channels(cin: Optional[int], w_shape, depthwise: bool) -> Optional[int]:
    if not depthwise:
        return w_shape[3]
    return None if cin is None or w_shape[3] is None else cin * w_shape[3]


def _define_conv(name: str, depthwise: bool):
    """Define op `name` with its `name_backprop_input` / `name_backprop_filter` and gradient."""
    layout = "(kh, kw, in_channels, multiplier)" if depthwise else "(kh, kw, in_channels, out_channels)"

    def infer(x, w, strides, padding, dilation):
        _check_rank4(x, "input (N, H, W, C)")
        _check_rank4(w, f"filter {layout}")
        if not dims_match(x.shape[3], w.shape[2]):
            raise ShapeError(f"input has {x.shape[3]} channels but the filter {tuple(w.shape)} expects {w.shape[2]}")
        (oh, ow), _ = window_2d(x.shape[1:3], _kernel_hw(w), strides, dilation, padding)
        cin = x.shape[3] if x.shape[3] is not None else w.shape[2]
        return TensorSpec((x.shape[0], oh, ow, _out_channels(cin, w.shape, depthwise)), dtypes.result_dtype(x.dtype, w.dtype))

    def infer_input(dy, w, like, strides, padding, dilation):
        _check_rank4(like, "input")
        return TensorSpec(like.shape, dy.dtype)

    def infer_filter(x, dy, kernel_size, strides, padding, dilation):
        _check_rank4(x, "input")
        _check_rank4(dy, "output gradient")
        kh, kw = pair(kernel_size, "kernel_size")
        cin, cout = x.shape[3], dy.shape[3]
        if depthwise:
            cout = None if cin is None or cout is None else cout // cin
        return TensorSpec((kh, kw, cin, cout), dy.dtype)

    op = define_op(name, infer, attrs=dict(WINDOW_ATTRS))
    backprop_input = define_op(f"{name}_backprop_input", infer_input, attrs=dict(WINDOW_ATTRS), differentiable=False)
    backprop_filter = define_op(f"{name}_backprop_filter", infer_filter, attrs={"kernel_size": (1, 1), **WINDOW_ATTRS},
                                differentiable=False)

    @op.gradient
    def _(node, dy):
        x, w = node.inputs
        return (backprop_input(dy, w, x, **node.attrs),
                backprop_filter(x, dy, kernel_size=tuple(w.shape[:2]), **node.attrs))

    return op, backprop_input, backprop_filter


conv2d, conv2d_backprop_input, conv2d_backprop_filter = _define_conv("conv2d", depthwise=False)
depthwise_conv2d, depthwise_conv2d_backprop_input, depthwise_conv2d_backprop_filter = _define_conv("depthwise_conv2d", depthwise=True)


def single(value, name: str) -> int:
    """An int or a 1-sequence of ints (Keras 1-D arguments) as an int."""
    values = (value,) if isinstance(value, int) else tuple(value)
    if len(values) != 1 or not isinstance(values[0], int):
        raise ValueError(f"{name} must be an int or a 1-tuple of ints, got {value!r}")
    return values[0]


def conv1d(x, w, stride=1, padding: str = "valid", dilation=1, name: Optional[str] = None):
    """1-D convolution of x (N, W, C) with w (k, in, out); padding 'valid', 'same' or 'causal'.

    Runs as conv2d on a height-1 image; 'causal' pads (k - 1) * dilation on the left only.
    """
    from .array import expand_dims, squeeze

    stride, dilation = single(stride, "stride"), single(dilation, "dilation")
    if padding == "causal":
        padding = ((0, 0), ((w.shape[0] - 1) * dilation, 0))
    y = conv2d(expand_dims(x, axis=1), expand_dims(w, axis=0), strides=(1, stride), padding=padding,
               dilation=(1, dilation), name=name)
    return squeeze(y, axis=1)
