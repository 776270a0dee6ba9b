"""Identity: returns its input unchanged (a placeholder in architectures)."""
from __future__ import annotations

from kerasish.layers.layer import Layer


class Identity(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
