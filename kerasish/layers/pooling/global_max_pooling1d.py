"""GlobalMaxPooling1D: max over the steps of (batch, steps, channels) inputs."""
from __future__ import annotations

from kerasish import ops

from .base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    pool_dimensions = 1
    reduction = ops.max
