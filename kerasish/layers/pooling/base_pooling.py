"""BasePooling: max/average pooling over 1 or 2 spatial axes of channels_last inputs."""
from __future__ import annotations

from kerasish.backend.ops.pool import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from kerasish.layers.arguments import normalize_data_format, normalize_padding, normalize_tuple
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer

_POOLS = {("max", 1): max_pool1d, ("max", 2): max_pool2d, ("average", 1): avg_pool1d, ("average", 2): avg_pool2d}


class BasePooling(Layer):
    """`pool_mode` ('max' / 'average') pooling; strides default to the pool size."""

    def __init__(self, pool_size, strides, pool_dimensions: int, pool_mode: str, padding: str = "valid",
                 data_format=None, **kwargs):
        super().__init__(**kwargs)
        layer = type(self).__name__
        self.pool_size = normalize_tuple(pool_size, pool_dimensions, "pool_size", layer)
        self.strides = self.pool_size if strides is None else normalize_tuple(strides, pool_dimensions, "strides", layer)
        self.padding = normalize_padding(padding, layer)
        self.data_format = normalize_data_format(data_format, layer)
        self.pool_dimensions = pool_dimensions
        self.pool_mode = pool_mode
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)

    def call(self, inputs):
        pool = _POOLS[(self.pool_mode, self.pool_dimensions)]
        return pool(inputs, pool_size=self.pool_size, strides=self.strides, padding=self.padding)

    def get_config(self) -> dict:
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}
