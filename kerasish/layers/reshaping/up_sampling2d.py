"""UpSampling2D: repeats rows and columns of NHWC images `size` times (nearest neighbour)."""
from __future__ import annotations

from kerasish.backend.ops.pool import resize_nearest
from kerasish.layers.arguments import normalize_data_format, normalize_tuple
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class UpSampling2D(Layer):
    def __init__(self, size=(2, 2), data_format=None, interpolation: str = "nearest", **kwargs):
        super().__init__(**kwargs)
        if interpolation != "nearest":
            raise ValueError(f"UpSampling2D: only interpolation='nearest' is supported, got {interpolation!r}")
        self.size = normalize_tuple(size, 2, "size", "UpSampling2D")
        self.data_format = normalize_data_format(data_format, "UpSampling2D")
        self.interpolation = interpolation
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        return resize_nearest(inputs, scale=self.size)

    def compute_output_shape(self, input_shape):
        spatial = tuple(None if d is None else d * s for d, s in zip(input_shape[1:3], self.size))
        return (input_shape[0],) + spatial + (input_shape[3],)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}
