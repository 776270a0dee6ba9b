"""Dropout: zeroes a `rate` fraction of inputs while training, scaling the rest by 1/(1-rate)."""
from __future__ import annotations

from kerasish.backend.ops.nn import dropout
from kerasish.layers.layer import Layer


class Dropout(Layer):
    def __init__(self, rate: float, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"Dropout: `rate` must be in [0, 1], got {rate}")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        noise_shape = None if self.noise_shape is None else tuple(
            inputs.shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        return dropout(inputs, rate=float(self.rate), noise_shape=noise_shape)[0]

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}
