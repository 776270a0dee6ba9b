"""RepeatVector: (batch, features) -> (batch, n, features), the input repeated n times."""
from __future__ import annotations

from kerasish import ops
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class RepeatVector(Layer):
    def __init__(self, n: int, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or n <= 0:
            raise ValueError(f"RepeatVector: `n` must be a positive integer, got {n!r}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return ops.tile(ops.expand_dims(inputs, axis=1), (1, self.n, 1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}
