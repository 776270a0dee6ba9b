"""The Metric base class. Metrics run on the host: the trainer fetches `y_pred` as NumPy and
calls `update_state`, so metrics are plain NumPy code with float64 accumulators."""
from __future__ import annotations

from typing import Optional

import numpy as np

from kerasish.backend import dtypes
from kerasish.losses.loss import match_ranks, snake_case


def squeeze_or_expand_to_same_rank(x1: np.ndarray, x2: np.ndarray, expand_rank_1: bool = True):
    """Keras' rank matching of (y_true, y_pred) or (values, sample_weight), on arrays."""
    return match_ranks(x1, x2, np.squeeze, np.expand_dims, expand_rank_1)


class Metric:
    """Base class: stateful `update_state(...)`, `result()` -> float, `reset_state()`.

    Subclasses declare their accumulators with `add_state`; `reset_state` zeroes them all.
    """

    def __init__(self, name: Optional[str] = None, dtype=None):
        self.name = name or snake_case(type(self).__name__)
        self.dtype = dtypes.as_dtype(dtype).name
        self._state_shapes: dict = {}

    def add_state(self, name: str, shape: tuple = ()) -> None:
        self._state_shapes[name] = tuple(shape)
        setattr(self, name, np.zeros(shape, dtype=np.float64))

    @property
    def variables(self) -> list:
        return [getattr(self, name) for name in self._state_shapes]

    def reset_state(self) -> None:
        for name, shape in self._state_shapes.items():
            setattr(self, name, np.zeros(shape, dtype=np.float64))

    def update_state(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update_state")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement result")

    def __call__(self, *args, **kwargs):
        """Update with one batch and return the running result (as Keras' Metric.__call__)."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"
