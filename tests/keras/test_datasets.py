"""Data set loaders: local files only, embedded MNIST fallback, clear errors."""
import gzip
import os
import struct
import warnings

import numpy as np
import pytest

from kerasish.datasets import fashion_mnist, mnist
from kerasish.datasets._local_files import read_idx


@pytest.fixture(autouse=True)
def empty_home(tmp_path, monkeypatch):
    """No real ~/.keras or KERASISH_HOME: every test chooses its own files."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KERASISH_HOME", raising=False)
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setattr(fashion_mnist, "SYSTEM_DIR", str(tmp_path / "no-system-dir"))
    monkeypatch.setattr(mnist, "_warned_embedded", False)


def write_idx(path, array, compress=True):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    opener = gzip.open if compress else open
    with opener(path, "wb") as stream:
        stream.write(header + array.astype(np.uint8).tobytes())


def write_idx_set(folder, n_train=6, n_test=4, compress=True):
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    arrays = [rng.integers(0, 256, (n_train, 28, 28)), rng.integers(0, 10, n_train),
              rng.integers(0, 256, (n_test, 28, 28)), rng.integers(0, 10, n_test)]
    stems = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    for stem, array in zip(stems, arrays):
        write_idx(os.path.join(folder, stem + (".gz" if compress else "")), array, compress)
    return arrays


def check_splits(splits, arrays):
    (x_train, y_train), (x_test, y_test) = splits
    for got, expected in zip((x_train, y_train, x_test, y_test), arrays):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, expected)


def test_embedded_split():
    (x_train, y_train), (x_test, y_test) = mnist.load_embedded()
    assert x_train.shape == (8000, 28, 28) and y_train.shape == (8000,)
    assert x_test.shape == (2000, 28, 28) and y_test.shape == (2000,)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert set(np.unique(y_train)) == set(range(10)) and x_train.max() > 200


def test_mnist_falls_back_to_embedded_and_warns_once():
    with pytest.warns(UserWarning, match=r"8,000 train / 2,000 test.*mnist\.npz.*\.keras/datasets"):
        (x_train, _), (x_test, _) = mnist.load_data()
    assert len(x_train) == 8000 and len(x_test) == 2000
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mnist.load_data()


def test_mnist_reads_idx_files_from_kerasish_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERASISH_HOME", str(tmp_path / "kh"))
    arrays = write_idx_set(str(tmp_path / "kh" / "datasets" / "mnist"), compress=False)
    check_splits(mnist.load_data(), arrays)


def test_mnist_reads_keras_npz(tmp_path):
    folder = tmp_path / "home" / ".keras" / "datasets"
    folder.mkdir(parents=True)
    arrays = [np.full((3, 28, 28), 7, np.uint8), np.arange(3, dtype=np.uint8),
              np.zeros((2, 28, 28), np.uint8), np.ones(2, np.uint8)]
    np.savez(folder / "mnist.npz", x_train=arrays[0], y_train=arrays[1], x_test=arrays[2], y_test=arrays[3])
    check_splits(mnist.load_data(), arrays)


def test_fashion_mnist_missing_says_how_to_install():
    with pytest.raises(FileNotFoundError, match="apt-get install dataset-fashion-mnist"):
        fashion_mnist.load_data()


def test_fashion_mnist_reads_idx_files(tmp_path):
    arrays = write_idx_set(str(tmp_path / "home" / ".keras" / "datasets" / "fashion-mnist"))
    (x_train, _), _ = splits = fashion_mnist.load_data()
    check_splits(splits, arrays)
    x_train[0, 0, 0] = 1


def test_read_idx_rejects_other_files(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(b"\x00\x00\x0d\x01\x00\x00\x00\x01abcd")
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(str(bad))
    short = tmp_path / "short"
    short.write_bytes(struct.pack(">BBBBI", 0, 0, 8, 1, 5) + b"ab")
    with pytest.raises(ValueError, match="header announces"):
        read_idx(str(short))


@pytest.mark.skipif(not os.path.isdir("/usr/share/datasets/fashion-mnist"), reason="dataset-fashion-mnist not installed")
def test_fashion_mnist_from_debian_package(monkeypatch):
    monkeypatch.setattr(fashion_mnist, "SYSTEM_DIR", "/usr/share/datasets/fashion-mnist")
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.dtype == np.uint8 and list(y_train[:5]) == [9, 0, 0, 3, 0]


def test_rt_polarity_is_shipped_and_split_reproducibly():
    from kerasish.datasets import rt_polarity
    (x_train, y_train), (x_test, y_test) = rt_polarity.load_data()
    assert len(x_train) + len(x_test) == 10662 and len(x_test) == 1066
    assert set(np.unique(y_train)) == {0, 1} and abs(y_train.mean() - 0.5) < 0.02
    assert isinstance(x_train[0], str) and x_train[0] == x_train[0].lower()
    assert rt_polarity.load_data()[1][0][0] == x_test[0]
