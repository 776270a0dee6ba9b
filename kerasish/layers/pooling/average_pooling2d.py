"""AveragePooling2D: average pooling over the rows/columns of channels_last inputs."""
from __future__ import annotations

from .base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    def __init__(self, pool_size=(2, 2), strides=None, padding: str = "valid", data_format=None, name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="average", padding=padding,
                         data_format=data_format, name=name, **kwargs)
