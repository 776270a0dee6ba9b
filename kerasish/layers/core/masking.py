"""Masking: marks time steps whose features all equal `mask_value` as masked, and zeroes them."""
from __future__ import annotations

from kerasish import ops
from kerasish.layers.layer import Layer


class Masking(Layer):
    def __init__(self, mask_value: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def _keep(self, inputs, keepdims: bool):
        """True where any feature of a step differs from `mask_value` (ops.any over the last axis)."""
        differs = ops.cast(ops.not_equal(inputs, self.mask_value), inputs.dtype)
        return ops.greater(ops.max(differs, axis=-1, keepdims=keepdims), 0.0)

    def call(self, inputs):
        return ops.multiply(inputs, ops.cast(self._keep(inputs, keepdims=True), inputs.dtype))

    def compute_mask(self, inputs, mask=None):
        return self._keep(inputs, keepdims=False)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
