"""SeparableConv2D: a depthwise convolution followed by a 1x1 pointwise convolution."""
from __future__ import annotations

from kerasish import initializers
from kerasish.backend.ops.conv import conv2d, depthwise_conv2d
from kerasish.backend.ops.math import bias_add
from kerasish.layers.arguments import check_build_shape

from .depthwise_conv2d import DepthwiseConv2D


class SeparableConv2D(DepthwiseConv2D):
    def __init__(self, filters: int, kernel_size, strides=(1, 1), padding: str = "valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier: int = 1, activation=None, use_bias: bool = True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides=strides, padding=padding, depth_multiplier=depth_multiplier,
                         data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer, depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer, **kwargs)
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"SeparableConv2D: `filters` must be a positive integer, got {filters!r}")
        self.filters = filters
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = pointwise_regularizer

    def build(self, input_shape):
        check_build_shape(self, input_shape)
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(f"layer '{self.name}' needs a known channel dimension, got input shape {tuple(input_shape)}")
        self.depthwise_kernel = self.add_weight(self.kernel_size + (channels, self.depth_multiplier),
                                                self.depthwise_initializer, name="depthwise_kernel",
                                                regularizer=self.depthwise_regularizer)
        self.pointwise_kernel = self.add_weight((1, 1, channels * self.depth_multiplier, self.filters),
                                                self.pointwise_initializer, name="pointwise_kernel",
                                                regularizer=self.pointwise_regularizer)
        self.bias = (self.add_weight((self.filters,), self.bias_initializer, name="bias",
                                     regularizer=self.bias_regularizer) if self.use_bias else None)
        self.input_spec.axes = {-1: channels}
        self.built = True

    def call(self, inputs):
        depthwise = depthwise_conv2d(inputs, self.depthwise_kernel, strides=self.strides, padding=self.padding,
                                     dilation=self.dilation_rate)
        outputs = conv2d(depthwise, self.pointwise_kernel)
        if self.bias is not None:
            outputs = bias_add(outputs, self.bias)
        return self.activation(outputs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"filters": self.filters, "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
                       "pointwise_regularizer": None, "pointwise_constraint": None})
        return config
