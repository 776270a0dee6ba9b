"""LeakyReLU layer: x for x >= 0, negative_slope * x otherwise (Keras 3 layer default 0.3)."""
from __future__ import annotations

from kerasish import ops
from kerasish.layers.layer import Layer


class LeakyReLU(Layer):
    def __init__(self, negative_slope: float = 0.3, **kwargs):
        negative_slope = kwargs.pop("alpha", negative_slope)
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"LeakyReLU: `negative_slope` must be a number >= 0, got {negative_slope}")
        self.negative_slope = negative_slope
        self.supports_masking = True

    def call(self, inputs):
        return ops.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}
