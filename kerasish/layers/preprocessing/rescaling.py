"""Rescaling: inputs * scale + offset (e.g. scale=1/255 for images), cast to the layer dtype."""
from __future__ import annotations

from kerasish import ops
from kerasish.layers.layer import Layer


class Rescaling(Layer):
    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs):
        inputs = ops.cast(inputs, self.dtype)
        return ops.add(ops.multiply(inputs, ops.cast(self.scale, self.dtype)), ops.cast(self.offset, self.dtype))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
