"""Dense: `activation(inputs @ kernel + bias)` on the last axis."""
from __future__ import annotations

from kerasish import activations, initializers, ops
from kerasish.backend.ops.math import bias_add
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class Dense(Layer):
    def __init__(self, units: int, activation=None, use_bias: bool = True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        if lora_rank or quantization_config:
            raise NotImplementedError(f"Dense '{self.name}': LoRA and quantization are not supported")
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Dense: `units` must be a positive integer, got {units!r}")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.supports_masking = True

    def build(self, input_shape):
        in_dim = input_shape[-1]
        if in_dim is None:
            raise ValueError(f"layer '{self.name}' needs a known last input dimension, got input shape {input_shape}")
        self.kernel = self.add_weight((in_dim, self.units), self.kernel_initializer, name="kernel", regularizer=self.kernel_regularizer)
        self.bias = self.add_weight((self.units,), self.bias_initializer, name="bias", regularizer=self.bias_regularizer) if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: in_dim})
        self.built = True

    def call(self, inputs):
        x = ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = bias_add(x, self.bias)
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer), "kernel_regularizer": None,
                "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
