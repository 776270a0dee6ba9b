"""Reshape: every axis but the batch axis to `target_shape` (one entry may be -1)."""
from __future__ import annotations

import numpy as np

from kerasish import ops
from kerasish.layers.layer import Layer


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if sum(1 for d in target_shape if d == -1) > 1 or not all(isinstance(d, int) and (d > 0 or d == -1) for d in target_shape):
            raise ValueError(f"Reshape: `target_shape` must hold positive ints and at most one -1, got {target_shape}")
        self.target_shape = target_shape

    def _resolved(self, input_shape) -> tuple:
        """`target_shape` with -1 filled in from the non-batch input size (None while that is unknown)."""
        rest = input_shape[1:]
        if None in rest:
            return tuple(None if d == -1 else d for d in self.target_shape)
        total = int(np.prod(rest))
        fixed = int(np.prod([d for d in self.target_shape if d != -1]))
        fits = total % fixed == 0 if -1 in self.target_shape else total == fixed
        if not fits:
            raise ValueError(f"layer '{self.name}': cannot reshape input of shape {tuple(input_shape)} "
                             f"to target_shape {self.target_shape}")
        return tuple(total // fixed if d == -1 else d for d in self.target_shape)

    def call(self, inputs):
        target = self._resolved(tuple(inputs.shape))
        return ops.reshape(inputs, (-1,) + tuple(-1 if d is None else d for d in target))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolved(tuple(input_shape))

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": self.target_shape}
