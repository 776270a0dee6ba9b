"""GlobalAveragePooling2D: mean over the rows and columns of NHWC inputs."""
from __future__ import annotations

from kerasish import ops

from .base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    pool_dimensions = 2
    reduction = ops.mean
