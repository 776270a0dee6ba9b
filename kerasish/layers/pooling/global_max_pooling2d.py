"""GlobalMaxPooling2D: max over the rows and columns of NHWC inputs."""
from __future__ import annotations

from kerasish import ops

from .base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    pool_dimensions = 2
    reduction = ops.max
