"""Builds a callback from plain functions."""
from typing import Callable, Optional

from .callback import Callback


class LambdaCallback(Callback):
    """Each given function replaces the hook of the same name.

    Epoch hooks take `(epoch, logs)`, batch hooks `(batch, logs)`, begin/end
    hooks `(logs)`. Any other hook (e.g. `on_test_end=...`) may be passed by keyword.
    """

    def __init__(self, on_epoch_begin: Optional[Callable] = None, on_epoch_end: Optional[Callable] = None,
                 on_train_begin: Optional[Callable] = None, on_train_end: Optional[Callable] = None,
                 on_train_batch_begin: Optional[Callable] = None, on_train_batch_end: Optional[Callable] = None,
                 **kwargs: Callable) -> None:
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end, on_train_begin=on_train_begin,
                     on_train_end=on_train_end, on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end, **kwargs)
        for name, function in hooks.items():
            if function is None:
                continue
            if not (name.startswith("on_") and callable(getattr(Callback, name, None))):
                raise ValueError(f"LambdaCallback got an unknown hook {name!r}.")
            setattr(self, name, function)
