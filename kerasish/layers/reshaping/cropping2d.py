"""Cropping2D: removes rows/columns from NHWC images, cropping ((top, bottom), (left, right))."""
from __future__ import annotations

from kerasish.backend.ops.array import getitem
from kerasish.layers.arguments import normalize_data_format, normalize_pairs
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class Cropping2D(Layer):
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = normalize_pairs(cropping, "cropping", "Cropping2D")
        self.data_format = normalize_data_format(data_format, "Cropping2D")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        rows, cols = (slice(start, -end if end else None) for start, end in self.cropping)
        return getitem(inputs, (slice(None), rows, cols))

    def compute_output_shape(self, input_shape):
        spatial = tuple(None if d is None else d - sum(c) for d, c in zip(input_shape[1:3], self.cropping))
        return (input_shape[0],) + spatial + (input_shape[3],)

    def get_config(self) -> dict:
        return {**super().get_config(), "cropping": self.cropping, "data_format": self.data_format}
