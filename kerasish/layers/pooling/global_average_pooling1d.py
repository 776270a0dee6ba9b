"""GlobalAveragePooling1D: mean over steps; with a mask, the mean over the unmasked steps only."""
from __future__ import annotations

from kerasish import ops

from .base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    pool_dimensions = 1
    reduction = ops.mean

    def __init__(self, data_format=None, keepdims: bool = False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), axis=2)
        total = ops.sum(ops.multiply(inputs, weights), axis=1, keepdims=self.keepdims)
        return ops.divide(total, ops.sum(weights, axis=1, keepdims=self.keepdims))
