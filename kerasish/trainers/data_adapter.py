"""Batches for fit/evaluate/predict from arrays, dicts, generators or a PyDataset."""
from __future__ import annotations

import math
from typing import Iterator, Optional

import numpy as np

from kerasish.layers.layer import flatten, map_structure


def _num_samples(x) -> int:
    return len(flatten(x)[0])


def _as_arrays(x):
    """Arrays throughout, float64 brought to float32 once (not per batch)."""
    def convert(a):
        if a is None:
            return None
        a = np.asarray(a)
        return a.astype(np.float32) if a.dtype == np.float64 else a
    return map_structure(convert, x)


def check_lengths(x, y=None, sample_weight=None) -> None:
    sizes = {name: {len(a) for a in flatten(v) if a is not None} for name, v in (("x", x), ("y", y), ("sample_weight", sample_weight)) if v is not None}
    all_sizes = set().union(*sizes.values()) if sizes else set()
    if len(all_sizes) > 1:
        shown = ", ".join(f"{name}: {sorted(s)}" for name, s in sizes.items())
        raise ValueError(f"Data cardinality is ambiguous: all arrays must have the same number of samples; got {shown}")


def split_validation(x, y, sample_weight, fraction: float):
    """Keras' validation_split: the last `fraction` of the samples, taken before shuffling."""
    if not 0 < fraction < 1:
        raise ValueError(f"validation_split must be in (0, 1), got {fraction}")
    n = _num_samples(x)
    cut = int(math.floor(n * (1 - fraction)))
    head = lambda s: map_structure(lambda a: a[:cut], s) if s is not None else None  # noqa: E731
    tail = lambda s: map_structure(lambda a: a[cut:], s) if s is not None else None  # noqa: E731
    return (head(x), head(y), head(sample_weight)), (tail(x), tail(y), tail(sample_weight))


class ArrayBatches:
    """Array data cut into batches; reshuffled every epoch when `shuffle`."""

    def __init__(self, x, y=None, sample_weight=None, batch_size: Optional[int] = 32, shuffle: bool = False,
                 class_weight: Optional[dict] = None, steps: Optional[int] = None):
        check_lengths(x, y, sample_weight)
        self.x, self.y = _as_arrays(x), _as_arrays(y)
        self.sample_weight = _as_arrays(sample_weight)
        if class_weight is not None:
            self.sample_weight = _class_sample_weights(self.y, class_weight, self.sample_weight)
        self.n = _num_samples(self.x)
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        self.steps = steps or math.ceil(self.n / self.batch_size)

    def __len__(self) -> int:
        return self.steps

    def epoch(self) -> Iterator[tuple]:
        order = np.random.permutation(self.n) if self.shuffle else None
        for step in range(self.steps):
            start = (step * self.batch_size) % max(self.n, 1)
            index = slice(start, start + self.batch_size) if order is None else order[start:start + self.batch_size]
            take = lambda s: map_structure(lambda a: a[index], s) if s is not None else None  # noqa: E731
            yield take(self.x), take(self.y), take(self.sample_weight)


class GeneratorBatches:
    """Batches from a Python generator / iterable of (x, y[, sample_weight]) tuples, or a PyDataset."""

    def __init__(self, data, steps: Optional[int] = None, class_weight: Optional[dict] = None):
        self.data = data
        self.class_weight = class_weight
        self.is_dataset = hasattr(data, "__getitem__") and hasattr(data, "__len__")
        self.steps = steps if steps is not None else (len(data) if self.is_dataset else None)
        self._iterator = None

    def __len__(self) -> Optional[int]:
        return self.steps

    def _items(self) -> Iterator:
        if self.is_dataset:
            for i in range(self.steps):
                yield self.data[i % len(self.data)]
            if hasattr(self.data, "on_epoch_end"):
                self.data.on_epoch_end()
            return
        if self._iterator is None:
            self._iterator = iter(self.data)
        for count, item in enumerate(self._iterator, 1):
            yield item
            if self.steps is not None and count >= self.steps:
                return
        self._iterator = None

    def epoch(self) -> Iterator[tuple]:
        for item in self._items():
            x, y, sw = unpack(item)
            x, y, sw = _as_arrays(x), _as_arrays(y), _as_arrays(sw)
            if self.class_weight is not None:
                sw = _class_sample_weights(y, self.class_weight, sw)
            yield x, y, sw


def unpack(item) -> tuple:
    """(x, y, sample_weight) from a batch given as x, (x,), (x, y) or (x, y, sw)."""
    if isinstance(item, tuple):
        if len(item) == 1:
            return item[0], None, None
        if len(item) == 2:
            return item[0], item[1], None
        if len(item) == 3:
            return item
        raise ValueError(f"a data batch must be x, (x, y) or (x, y, sample_weight); got a tuple of {len(item)}")
    return item, None, None


def _class_sample_weights(y, class_weight: dict, sample_weight):
    labels = np.asarray(flatten(y)[0])
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)
    labels = labels.reshape(len(labels), -1)[:, 0].astype(int) if labels.ndim > 1 else labels.astype(int)
    weights = np.array([class_weight.get(int(c), 1.0) for c in range(int(labels.max()) + 1)], dtype=np.float32)
    result = weights[labels]
    return result if sample_weight is None else result * np.asarray(sample_weight, dtype=np.float32)


def make_batches(x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None, steps=None):
    """The batch source for `x`: arrays (or dicts/lists of arrays) or a generator / PyDataset."""
    if isinstance(x, (np.ndarray, list, dict)) or hasattr(x, "__array__"):
        return ArrayBatches(x, y, sample_weight, batch_size, shuffle, class_weight, steps)
    if y is not None:
        raise ValueError("when x is a generator or a PyDataset, y must be None: the targets come from the batches")
    return GeneratorBatches(x, steps, class_weight)
