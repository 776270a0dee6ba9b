"""Stops training as soon as the loss becomes NaN or infinite."""
import numpy as np

from .callback import Callback


class TerminateOnNaN(Callback):
    """Checks the batch loss after every training batch."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
