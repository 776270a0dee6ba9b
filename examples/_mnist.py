"""The MNIST sample shipped with kerasish (10,000 real digits): 8,000 train / 2,000 test."""
from __future__ import annotations

from pathlib import Path
from typing import Tuple

import numpy as np

import kerasish

DATA = Path(kerasish.__file__).parent / "datasets" / "data" / "mnist_10k.npz"
N_TRAIN = 8000


def load(flat: bool = True) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test): x float32 in [0, 1], (N, 784) or (N, 28, 28, 1); y int64."""
    with np.load(DATA) as data:
        x = (data["x"].astype(np.float32) / 255.0).reshape((-1, 784) if flat else (-1, 28, 28, 1))
        y = data["y"].astype(np.int64)
    return x[:N_TRAIN], y[:N_TRAIN], x[N_TRAIN:], y[N_TRAIN:]


def one_hot(y: np.ndarray, depth: int = 10) -> np.ndarray:
    return np.eye(depth, dtype=np.float32)[y]


def batches(n: int, batch_size: int, rng: np.random.Generator):
    """Endless minibatch index arrays: a fresh permutation each epoch."""
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start:start + batch_size]
