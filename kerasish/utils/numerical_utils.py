"""Label encoding and vector normalisation helpers."""
from typing import Optional

import numpy as np


def to_categorical(x, num_classes: Optional[int] = None) -> np.ndarray:
    """One-hot encodes integer class labels: shape (..., num_classes).

    A trailing axis of size 1 is dropped first, so (n, 1) labels give (n, num_classes).
    Without `num_classes`, it is `max(x) + 1`.
    """
    x = np.asarray(x, dtype="int64")
    shape = x.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(f"to_categorical: labels must lie in [0, {num_classes}); got values from "
                         f"{x.min()} to {x.max()}.")
    categorical = np.zeros((x.shape[0], num_classes))
    categorical[np.arange(x.shape[0]), x] = 1
    return categorical.reshape(tuple(shape) + (num_classes,))


def normalize(x, axis: int = -1, order: int = 2) -> np.ndarray:
    """Scales `x` to unit `order`-norm along `axis` (zero vectors stay zero)."""
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
