"""File handling shared by the savers: atomic writes and HDF5 opening with clear errors."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import Optional

import h5py
import numpy as np


def check_exists(filepath: str) -> None:
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file: '{filepath}'")


def _default_mode() -> int:
    """Permissions a newly created file would get (0o666 less the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_write(filepath: str) -> Iterator[str]:
    """Yield a temporary path beside `filepath`; on success it replaces `filepath` in one step.

    If writing fails, the temporary file is removed and a previous `filepath` is untouched.
    """
    filepath = os.fspath(filepath)
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(filepath)}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, os.stat(filepath).st_mode & 0o777 if os.path.exists(filepath) else _default_mode())
        os.replace(tmp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


@contextlib.contextmanager
def open_h5(source, name: Optional[str] = None) -> Iterator[h5py.File]:
    """Open an HDF5 file (a path or a file object) for reading; a missing, non-HDF5 or damaged file raises a
    clear error."""
    name = name or os.fspath(source)
    if isinstance(source, (str, os.PathLike)):
        check_exists(source)
        if not h5py.is_hdf5(source):
            raise ValueError(f"'{name}' is not an HDF5 file (no HDF5 signature): cannot read weights from it")
    try:
        h5 = h5py.File(source, "r")
    except OSError as error:
        raise ValueError(f"'{name}' is a damaged or truncated HDF5 file and cannot be read: {error}") from None
    with h5:
        yield h5


def read_dataset(dataset: h5py.Dataset, source: str) -> np.ndarray:
    """The dataset's values; a read failure (truncated file) names the file and dataset."""
    try:
        return np.asarray(dataset[()])
    except (OSError, KeyError) as error:
        raise ValueError(f"'{source}' is damaged or truncated: cannot read dataset '{dataset.name}': {error}") from None
