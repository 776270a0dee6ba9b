"""Base class for Python data sources that yield whole batches."""


class PyDataset:
    """Keras 3 `PyDataset`: subclass it and define `__len__` (batches per epoch) and `__getitem__`.

    `__getitem__(index)` returns one batch: `(x,)`, `(x, y)` or `(x, y, sample_weight)`.
    `on_epoch_end` runs after each epoch (e.g. to reshuffle). `workers`,
    `use_multiprocessing` and `max_queue_size` are accepted for compatibility;
    batches are read in order on the calling thread.
    """

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10) -> None:
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self) -> int:
        return getattr(self, "_workers", 1)

    @workers.setter
    def workers(self, value: int) -> None:
        self._workers = value

    @property
    def use_multiprocessing(self) -> bool:
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value: bool) -> None:
        self._use_multiprocessing = value

    @property
    def max_queue_size(self) -> int:
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value: int) -> None:
        self._max_queue_size = value

    def __getitem__(self, index: int):
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__(index)` returning one batch.")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must implement `__len__` (number of batches).")

    @property
    def num_batches(self):
        """Batches per epoch, or None when `__len__` is not defined."""
        try:
            return len(self)
        except NotImplementedError:
            return None

    def on_epoch_begin(self) -> None:
        """Called at the start of every epoch."""

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch."""
