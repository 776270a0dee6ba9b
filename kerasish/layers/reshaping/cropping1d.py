"""Cropping1D: removes `cropping` = (start, end) steps from (batch, steps, features)."""
from __future__ import annotations

from kerasish.backend.ops.array import getitem
from kerasish.layers.arguments import normalize_tuple
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class Cropping1D(Layer):
    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = normalize_tuple(cropping, 2, "cropping", "Cropping1D", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        start, end = self.cropping
        return getitem(inputs, (slice(None), slice(start, -end if end else None)))

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else input_shape[1] - sum(self.cropping)
        return (input_shape[0], steps, input_shape[2])

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping}
