"""Finds and reads locally stored data set files (never downloads)."""
import gzip
import os
from typing import List, Optional, Tuple

import numpy as np

IDX_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")

Splits = Tuple[Tuple[np.ndarray, np.ndarray], Tuple[np.ndarray, np.ndarray]]


def dataset_dirs() -> List[str]:
    """Where data sets are looked for: $KERASISH_HOME/datasets, $KERAS_HOME/datasets, ~/.keras/datasets."""
    dirs = [os.path.join(os.environ[var], "datasets") for var in ("KERASISH_HOME", "KERAS_HOME") if os.environ.get(var)]
    dirs.append(os.path.join(os.path.expanduser("~"), ".keras", "datasets"))
    return dirs


def read_idx(path: str) -> np.ndarray:
    """Reads one IDX file (gzip-compressed or not) of unsigned bytes."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as stream:
        data = bytearray(stream.read())
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes.")
    ndim = data[3]
    shape = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if values.size != int(np.prod(shape)):
        raise ValueError(f"{path} holds {values.size} values, its header announces shape {shape}.")
    return values.reshape(shape)


def _idx_path(folder: str, stem: str) -> Optional[str]:
    for name in (stem + ".gz", stem):
        if os.path.isfile(os.path.join(folder, name)):
            return os.path.join(folder, name)
    return None


def load_idx_folder(folder: str) -> Optional[Splits]:
    """The four standard IDX files of `folder` as ((x_train, y_train), (x_test, y_test)), or None if incomplete."""
    paths = [_idx_path(folder, stem) for stem in IDX_FILES]
    if None in paths:
        return None
    x_train, y_train, x_test, y_test = (read_idx(path) for path in paths)
    return (x_train, y_train), (x_test, y_test)


def load_npz(path: str) -> Splits:
    """A Keras-style archive with x_train, y_train, x_test, y_test."""
    with np.load(path, allow_pickle=False) as data:
        return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])
