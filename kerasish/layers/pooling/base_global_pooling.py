"""BaseGlobalPooling: reduce every spatial axis of channels_last inputs (optionally keeping them as size 1).

Subclasses set `pool_dimensions` (1 or 2) and `reduction` (ops.mean / ops.max).
"""
from __future__ import annotations

from typing import Callable

from kerasish.layers.arguments import normalize_data_format
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class BaseGlobalPooling(Layer):
    pool_dimensions: int
    reduction: Callable

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format, type(self).__name__)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.pool_dimensions + 2)

    @property
    def spatial_axes(self) -> tuple:
        return tuple(range(1, self.pool_dimensions + 1))

    def call(self, inputs):
        return type(self).reduction(inputs, axis=self.spatial_axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return (input_shape[0],) + (1,) * self.pool_dimensions + (input_shape[-1],)
        return (input_shape[0], input_shape[-1])

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}
