"""Prints training progress: "Epoch i/n" then one progress bar per epoch."""
from typing import Optional

from ..utils.progbar import Progbar
from .callback import Callback


class ProgbarLogger(Callback):
    """Drives a `Progbar` from the trainer's hooks (Keras 3 behaviour).

    Validation inside `fit` is silent; `evaluate` and `predict` get a bar of
    their own. The trainer's logs are already running means over the epoch, so
    they are shown as they are (stateful) rather than averaged a second time.
    """

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0
        self.progbar: Optional[Progbar] = None
        self.target: Optional[int] = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._new_progbar()

    def on_predict_begin(self, logs=None):
        self._new_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._new_progbar()
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_end(self, logs=None):
        self._finalize(None)

    def _new_progbar(self) -> None:
        self.seen = 0
        self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step")

    def _update(self, batch: int, logs) -> None:
        if self.progbar is None:
            self._new_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            self.progbar.update(self.seen, self._values(logs), finalize=False)

    def _finalize(self, logs) -> None:
        if self.progbar is None:
            self._new_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.seen
        self.progbar.update(self.progbar.target, self._values(logs), finalize=True)

    def _values(self, logs):
        values = list((logs or {}).items())
        self.progbar.stateful_metrics.update(name for name, _ in values)
        return values
