"""ZeroPadding1D: zeros added before/after the steps axis of (batch, steps, features)."""
from __future__ import annotations

from kerasish import ops
from kerasish.layers.arguments import normalize_data_format, normalize_tuple
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class ZeroPadding1D(Layer):
    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = normalize_tuple(padding, 2, "padding", "ZeroPadding1D", allow_zero=True)
        self.data_format = normalize_data_format(data_format, "ZeroPadding1D")
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return ops.pad(inputs, ((0, 0), self.padding, (0, 0)))

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else input_shape[1] + sum(self.padding)
        return (input_shape[0], steps, input_shape[2])

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
