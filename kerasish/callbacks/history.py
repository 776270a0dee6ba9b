"""Records the epoch logs; `fit` returns this object."""
from .callback import Callback


class History(Callback):
    """`history[name]` is the list of per-epoch values; `epoch` the epoch indices."""

    def __init__(self) -> None:
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        self.model.history = self
