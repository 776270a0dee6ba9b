"""ZeroPadding2D: zero rows/columns around NHWC images, padding ((top, bottom), (left, right))."""
from __future__ import annotations

from kerasish import ops
from kerasish.layers.arguments import normalize_data_format, normalize_pairs
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class ZeroPadding2D(Layer):
    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = normalize_pairs(padding, "padding", "ZeroPadding2D")
        self.data_format = normalize_data_format(data_format, "ZeroPadding2D")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        return ops.pad(inputs, ((0, 0),) + self.padding + ((0, 0),))

    def compute_output_shape(self, input_shape):
        spatial = tuple(None if d is None else d + sum(p) for d, p in zip(input_shape[1:3], self.padding))
        return (input_shape[0],) + spatial + (input_shape[3],)

    def get_config(self) -> dict:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}
