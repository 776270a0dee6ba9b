"""BaseConv: what Conv1D and Conv2D share (arguments, kernel/bias weights, bias + activation, config)."""
from __future__ import annotations

from kerasish import activations, initializers
from kerasish.backend.ops.conv import conv1d, conv2d
from kerasish.backend.ops.math import bias_add
from kerasish.layers.arguments import check_build_shape, normalize_data_format, normalize_padding, normalize_tuple
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class BaseConv(Layer):
    """N-D convolution over channels_last inputs of rank `rank + 2`, kernel (*kernel_size, in, filters)."""

    def __init__(self, rank: int, filters: int, kernel_size, strides=1, padding: str = "valid", data_format=None,
                 dilation_rate=1, groups: int = 1, activation=None, use_bias: bool = True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        layer = type(self).__name__
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"{layer}: `filters` must be a positive integer, got {filters!r}")
        if groups != 1:
            raise ValueError(f"{layer}: grouped convolution (groups={groups}) is not supported; use groups=1")
        self.rank = rank
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size", layer)
        self.strides = normalize_tuple(strides, rank, "strides", layer)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate", layer)
        self.padding = normalize_padding(padding, layer, ("valid", "same", "causal") if rank == 1 else ("valid", "same"))
        self.data_format = normalize_data_format(data_format, layer)
        self.groups = groups
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.input_spec = InputSpec(ndim=rank + 2)

    def build(self, input_shape):
        check_build_shape(self, input_shape)
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(f"layer '{self.name}' needs a known channel dimension, got input shape {tuple(input_shape)}")
        self.kernel = self.add_weight(self.kernel_size + (channels, self.filters), self.kernel_initializer,
                                      name="kernel", regularizer=self.kernel_regularizer)
        self.bias = (self.add_weight((self.filters,), self.bias_initializer, name="bias", regularizer=self.bias_regularizer)
                     if self.use_bias else None)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={-1: channels})
        self.built = True

    def convolve(self, inputs):
        if self.rank == 1:
            return conv1d(inputs, self.kernel, stride=self.strides, padding=self.padding, dilation=self.dilation_rate)
        return conv2d(inputs, self.kernel, strides=self.strides, padding=self.padding, dilation=self.dilation_rate)

    def call(self, inputs):
        outputs = self.convolve(inputs)
        if self.bias is not None:
            outputs = bias_add(outputs, self.bias)
        return self.activation(outputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer), "kernel_regularizer": None,
                "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
                "bias_constraint": None}
