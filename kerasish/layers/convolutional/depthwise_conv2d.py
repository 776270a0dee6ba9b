"""DepthwiseConv2D: each input channel convolved with its own `depth_multiplier` filters."""
from __future__ import annotations

from kerasish import activations, initializers
from kerasish.backend.ops.conv import depthwise_conv2d
from kerasish.backend.ops.math import bias_add
from kerasish.layers.arguments import check_build_shape, normalize_data_format, normalize_padding, normalize_tuple
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class DepthwiseConv2D(Layer):
    def __init__(self, kernel_size, strides=(1, 1), padding: str = "valid", depth_multiplier: int = 1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias: bool = True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        layer = type(self).__name__
        if not isinstance(depth_multiplier, int) or depth_multiplier <= 0:
            raise ValueError(f"{layer}: `depth_multiplier` must be a positive integer, got {depth_multiplier!r}")
        self.kernel_size = normalize_tuple(kernel_size, 2, "kernel_size", layer)
        self.strides = normalize_tuple(strides, 2, "strides", layer)
        self.dilation_rate = normalize_tuple(dilation_rate, 2, "dilation_rate", layer)
        self.padding = normalize_padding(padding, layer)
        self.data_format = normalize_data_format(data_format, layer)
        self.depth_multiplier = depth_multiplier
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = depthwise_regularizer
        self.bias_regularizer = bias_regularizer
        self.input_spec = InputSpec(ndim=4)

    def build(self, input_shape):
        check_build_shape(self, input_shape)
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(f"layer '{self.name}' needs a known channel dimension, got input shape {tuple(input_shape)}")
        self.kernel = self.add_weight(self.kernel_size + (channels, self.depth_multiplier), self.depthwise_initializer,
                                      name="kernel", regularizer=self.depthwise_regularizer)
        self.bias = (self.add_weight((channels * self.depth_multiplier,), self.bias_initializer, name="bias",
                                     regularizer=self.bias_regularizer) if self.use_bias else None)
        self.input_spec = InputSpec(ndim=4, axes={-1: channels})
        self.built = True

    def call(self, inputs):
        outputs = depthwise_conv2d(inputs, self.kernel, strides=self.strides, padding=self.padding,
                                   dilation=self.dilation_rate)
        if self.bias is not None:
            outputs = bias_add(outputs, self.bias)
        return self.activation(outputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "depth_multiplier": self.depth_multiplier, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer), "depthwise_regularizer": None,
                "bias_regularizer": None, "activity_regularizer": None, "depthwise_constraint": None,
                "bias_constraint": None}
