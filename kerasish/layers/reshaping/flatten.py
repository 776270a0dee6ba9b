"""Flatten: every axis but the batch axis into one."""
from __future__ import annotations

import numpy as np

from kerasish import ops
from kerasish.layers.layer import Layer


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        return ops.reshape(inputs, (-1, int(np.prod(inputs.shape[1:]))) if None not in inputs.shape[1:] else (-1,))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        return (input_shape[0], None if None in rest else int(np.prod(rest)))

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}
