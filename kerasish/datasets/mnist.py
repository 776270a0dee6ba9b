"""MNIST handwritten digits: 28x28 uint8 images, labels 0-9."""
import os
import warnings
from typing import Optional

import numpy as np

from ._local_files import Splits, dataset_dirs, load_idx_folder, load_npz

EMBEDDED_PATH = os.path.join(os.path.dirname(__file__), "data", "mnist_10k.npz")
EMBEDDED_TRAIN_SIZE = 8000
_warned_embedded = False


def load_embedded() -> Splits:
    """The 10,000 real digits shipped with kerasish: 8,000 for training, 2,000 for testing."""
    with np.load(EMBEDDED_PATH) as data:
        x, y = data["x"], data["y"]
    split = EMBEDDED_TRAIN_SIZE
    return (x[:split], y[:split]), (x[split:], y[split:])


def _find_full(path: str) -> Optional[Splits]:
    for folder in dataset_dirs():
        archive = os.path.join(folder, path)
        if os.path.isfile(archive):
            return load_npz(archive)
        for candidate in (folder, os.path.join(folder, "mnist")):
            splits = load_idx_folder(candidate)
            if splits is not None:
                return splits
    return None


def load_data(path: str = "mnist.npz") -> Splits:
    """Returns ((x_train, y_train), (x_test, y_test)) as uint8 arrays, as Keras does.

    Looks for Keras' `mnist.npz` (`path`, relative to the data set folders or
    absolute) or the four IDX files (train-images-idx3-ubyte.gz, ...) in
    $KERASISH_HOME/datasets, $KERAS_HOME/datasets and ~/.keras/datasets (or
    their `mnist/` subfolder). Without them, falls back to the embedded
    8,000/2,000 sample (see `load_embedded`) and warns once. Never downloads.
    """
    global _warned_embedded
    splits = _find_full(path)
    if splits is not None:
        return splits
    if not _warned_embedded:
        _warned_embedded = True
        warnings.warn("Full MNIST not found: using the small set embedded in kerasish (8,000 train / 2,000 test "
                      "digits). For the full 60,000 / 10,000 set, put Keras' mnist.npz or the four IDX files "
                      f"(train-images-idx3-ubyte.gz, ...) in one of: {', '.join(dataset_dirs())}.", stacklevel=2)
    return load_embedded()
