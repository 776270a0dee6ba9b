"""ReLU layer: max(x, 0), with optional `max_value` cap, `negative_slope` leak and `threshold`."""
from __future__ import annotations

from typing import Optional

from kerasish import ops
from kerasish.layers.layer import Layer


class ReLU(Layer):
    def __init__(self, max_value: Optional[float] = None, negative_slope: float = 0.0, threshold: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise ValueError(f"ReLU: `max_value` must be >= 0 or None, got {max_value}")
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"ReLU: `negative_slope` must be >= 0, got {negative_slope}")
        if threshold is None:
            raise ValueError("ReLU: `threshold` must be a number, got None")
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True

    def call(self, inputs):
        if self.negative_slope == 0 and self.threshold == 0:
            outputs = ops.relu(inputs)
        else:
            below = ops.multiply(ops.subtract(inputs, self.threshold), self.negative_slope)
            outputs = ops.where(ops.greater_equal(inputs, self.threshold), inputs, below)
        if self.max_value is not None:
            outputs = ops.minimum(outputs, float(self.max_value))
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}
