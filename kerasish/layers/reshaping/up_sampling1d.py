"""UpSampling1D: repeats each step of (batch, steps, features) `size` times."""
from __future__ import annotations

from kerasish import ops
from kerasish.backend.ops.pool import resize_nearest
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class UpSampling1D(Layer):
    def __init__(self, size: int = 2, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(size, int) or size <= 0:
            raise ValueError(f"UpSampling1D: `size` must be a positive integer, got {size!r}")
        self.size = size
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return ops.squeeze(resize_nearest(ops.expand_dims(inputs, axis=2), scale=(self.size, 1)), axis=2)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], None if input_shape[1] is None else input_shape[1] * self.size, input_shape[2])

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}
