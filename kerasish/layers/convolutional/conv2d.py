"""Conv2D: 2-D convolution of NHWC images with a (kh, kw, in, filters) kernel."""
from __future__ import annotations

from .base_conv import BaseConv


class Conv2D(BaseConv):
    def __init__(self, filters: int, kernel_size, strides=(1, 1), padding: str = "valid", data_format=None,
                 dilation_rate=(1, 1), groups: int = 1, activation=None, use_bias: bool = True, **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, groups=groups, activation=activation, use_bias=use_bias, **kwargs)
