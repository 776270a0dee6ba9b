"""keras.utils helpers: labels, normalisation, seeding, PyDataset, pad_sequences."""
import random

import numpy as np
import pytest

import kerasish.backend as backend
from kerasish import utils
from kerasish.preprocessing.sequence import pad_sequences


def test_to_categorical():
    np.testing.assert_array_equal(utils.to_categorical([0, 2, 1]), [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    column = utils.to_categorical(np.array([[1], [3]]), num_classes=5)
    assert column.shape == (2, 5) and column.dtype == np.float64
    assert utils.to_categorical(np.zeros((2, 3), int), 4).shape == (2, 3, 4)
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        utils.to_categorical([0, 3], num_classes=3)


def test_normalize():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(utils.normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    np.testing.assert_allclose(utils.normalize(x, axis=0, order=1), [[1.0, 1.0], [0.0, 0.0]])


def test_set_random_seed_repeats_python_numpy_and_backend():
    def draw():
        return random.random(), np.random.rand()

    utils.set_random_seed(3)
    first = draw()
    utils.set_random_seed(3)
    assert draw() == first
    with pytest.raises(ValueError, match="integer"):
        utils.set_random_seed(1.5)


def test_set_random_seed_reseeds_backend(monkeypatch):
    seeds = []
    monkeypatch.setattr(backend, "set_random_seed", seeds.append)
    utils.set_random_seed(7)
    assert seeds == [7]


class Squares(utils.PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.epochs_ended = 0

    def __len__(self):
        return 3

    def __getitem__(self, index):
        x = np.arange(index * 2, index * 2 + 2, dtype="float32")
        return x, x ** 2

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_py_dataset():
    data = Squares(workers=4, use_multiprocessing=True, max_queue_size=5)
    assert (data.workers, data.use_multiprocessing, data.max_queue_size) == (4, True, 5)
    assert data.num_batches == 3 and len(data) == 3
    np.testing.assert_array_equal(data[2][1], [16, 25])
    data.on_epoch_end()
    assert data.epochs_ended == 1

    class NoSuper(utils.PyDataset):
        def __init__(self):
            pass

    bare = NoSuper()
    assert (bare.workers, bare.use_multiprocessing, bare.max_queue_size, bare.num_batches) == (1, False, 10, None)
    with pytest.raises(NotImplementedError, match="__getitem__"):
        bare[0]


def test_pad_sequences():
    sequences = [[1, 2, 3], [4], []]
    np.testing.assert_array_equal(pad_sequences(sequences), [[1, 2, 3], [0, 0, 4], [0, 0, 0]])
    np.testing.assert_array_equal(pad_sequences(sequences, maxlen=2, padding="post", truncating="post", value=-1),
                                  [[1, 2], [4, -1], [-1, -1]])
    np.testing.assert_array_equal(pad_sequences(sequences, maxlen=2), [[2, 3], [0, 4], [0, 0]])
    assert pad_sequences(sequences).dtype == np.int32
    floats = pad_sequences([[0.5, 1.5]], maxlen=3, dtype="float32")
    np.testing.assert_array_equal(floats, [[0.0, 0.5, 1.5]])
    vectors = pad_sequences([np.ones((2, 4)), np.ones((1, 4))], dtype="float32")
    assert vectors.shape == (2, 2, 4) and vectors[1, 0].sum() == 0
    words = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert words.tolist() == [["a", "b"], ["<pad>", "c"]]
    assert utils.pad_sequences is pad_sequences


def test_pad_sequences_errors():
    with pytest.raises(ValueError, match="Padding type"):
        pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="Truncating type"):
        pad_sequences([[1]], truncating="middle")
    with pytest.raises(ValueError, match="non-iterable"):
        pad_sequences([1, 2])
    with pytest.raises(ValueError, match="dtype=object"):
        pad_sequences([[1]], value="x")
    with pytest.raises(ValueError, match="different from expected shape"):
        pad_sequences([np.ones((1, 2)), np.ones((1, 3))])
