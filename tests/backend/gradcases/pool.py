"""Gradient-check cases for pooling and nearest upsampling (float64, distinct values so no ties)."""
import numpy as np


def _distinct(seed: int, shape: tuple) -> np.ndarray:
    """Values spaced at least 0.1 apart, so finite differences never swap a window's maximum."""
    rng = np.random.default_rng(seed)
    return rng.permutation(np.arange(np.prod(shape))).reshape(shape) * 0.1 - 1.0


def _pool_cases(seed: int) -> list:
    return [
        dict(inputs=[_distinct(seed, (2, 4, 4, 2))], attrs=dict()),
        dict(inputs=[_distinct(seed + 1, (1, 5, 6, 2))], attrs=dict(pool_size=(3, 3), strides=(2, 2), padding="same")),
        dict(inputs=[_distinct(seed + 2, (1, 5, 5, 1))], attrs=dict(pool_size=(2, 3), strides=(1, 1), padding="valid")),
    ]


CASES = {
    "max_pool2d": _pool_cases(0),
    "avg_pool2d": _pool_cases(10),
    "resize_nearest": [dict(inputs=[_distinct(20, (2, 2, 3, 2))], attrs=dict(scale=(2, 3)))],
}
