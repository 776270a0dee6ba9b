"""Base class of all callbacks: every hook the trainer calls, each a no-op."""
from typing import Any, Dict, Optional

Logs = Optional[Dict[str, float]]


class Callback:
    """Hooks called by `fit`, `evaluate` and `predict` (Keras 3 API).

    `params` holds the trainer's settings (`verbose`, `epochs`, `steps`);
    `model` is the model being trained. `on_batch_begin`/`on_batch_end` are the
    backwards-compatible names that the train-batch hooks call by default.
    """

    def __init__(self) -> None:
        self.params: Dict[str, Any] = {}
        self._model = None

    def set_params(self, params: Dict[str, Any]) -> None:
        self.params = params

    def set_model(self, model) -> None:
        self._model = model

    @property
    def model(self):
        return self._model

    def on_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Alias of `on_train_batch_begin` kept for older callbacks."""

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Alias of `on_train_batch_end` kept for older callbacks."""

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        """Called at the start of each training epoch."""

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        """Called at the end of each epoch; `logs` holds the epoch's metrics (and `val_*`)."""

    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Called before each batch of `evaluate` (and of validation in `fit`)."""

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Called after each batch of `evaluate` (and of validation in `fit`)."""

    def on_predict_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Called before each batch of `predict`."""

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Called after each batch of `predict`; `logs["outputs"]` holds its outputs."""

    def on_train_begin(self, logs: Logs = None) -> None:
        """Called once when `fit` starts."""

    def on_train_end(self, logs: Logs = None) -> None:
        """Called once when `fit` ends."""

    def on_test_begin(self, logs: Logs = None) -> None:
        """Called when `evaluate` (or a validation pass) starts."""

    def on_test_end(self, logs: Logs = None) -> None:
        """Called when `evaluate` (or a validation pass) ends."""

    def on_predict_begin(self, logs: Logs = None) -> None:
        """Called when `predict` starts."""

    def on_predict_end(self, logs: Logs = None) -> None:
        """Called when `predict` ends."""
