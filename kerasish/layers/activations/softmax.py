"""Softmax layer: softmax over `axis`; masked positions get (almost exactly) zero probability."""
from __future__ import annotations

from kerasish import ops
from kerasish.layers.layer import Layer

_LARGE_NEGATIVE = -1e9


class Softmax(Layer):
    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            keep = ops.cast(mask, inputs.dtype)
            inputs = ops.add(inputs, ops.multiply(ops.subtract(1.0, keep), _LARGE_NEGATIVE))
        if isinstance(self.axis, (list, tuple)):
            shifted = ops.subtract(inputs, ops.max(inputs, axis=tuple(self.axis), keepdims=True))
            exp = ops.exp(shifted)
            outputs = ops.divide(exp, ops.sum(exp, axis=tuple(self.axis), keepdims=True))
        else:
            outputs = ops.softmax(inputs, axis=self.axis)
        return outputs if mask is None else ops.multiply(outputs, keep)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
