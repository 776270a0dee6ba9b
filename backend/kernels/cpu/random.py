"""NumPy kernels of the graph-level random ops; `rng` is the device's generator."""
from __future__ import annotations

import numpy as np

from ...ops.random import noise_shape_of
from .table import register


@register("random_uniform_like")
def random_uniform_like(x, minval, maxval, noise_shape, rng):
    draw_dtype = x.dtype if x.dtype in (np.float32, np.float64) else np.float32
    u = rng.random(noise_shape_of(x.shape, noise_shape), dtype=draw_dtype).astype(x.dtype, copy=False)
    if (minval, maxval) != (0.0, 1.0):
        u *= maxval - minval
        u += minval
    return u
