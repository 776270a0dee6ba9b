"""Reducing metrics: Sum, Mean, and MeanMetricWrapper (the mean of a per-sample function)."""
from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from .metric import Metric, squeeze_or_expand_to_same_rank


def reduce_to_samplewise_values(values, sample_weight, reduce_fn: Callable):
    """Per-sample values (weighted), and the per-sample weights, as Keras reduces them."""
    values = np.asarray(values, dtype=np.float64)
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = sample_weight.ndim
        if values.ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values.ndim)))
        sample_weight = np.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the values seen."""

    def __init__(self, name: str = "sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.add_state("total")

    def update_state(self, values, sample_weight=None) -> None:
        values, _ = reduce_to_samplewise_values(values, sample_weight, np.sum)
        self.total += np.sum(values)

    def result(self) -> float:
        return float(self.total)


class Mean(Metric):
    """The (weighted) mean of the values seen; 0 before any update."""

    def __init__(self, name: str = "mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.add_state("total")
        self.add_state("count")

    def update_state(self, values, sample_weight=None) -> None:
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, np.mean)
        self.total += np.sum(values)
        if sample_weight is not None:
            self.count += np.sum(sample_weight)
        else:
            self.count += values.shape[0] if values.ndim >= 1 else 1

    def result(self) -> float:
        return float(self.total / self.count) if self.count else 0.0


class MeanMetricWrapper(Mean):
    """The mean over samples of `fn(y_true, y_pred, **kwargs)` (per-sample values)."""

    def __init__(self, fn: Callable, name: Optional[str] = None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None) or "mean_metric_wrapper", dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        super().update_state(self._fn(y_true, y_pred, **self._fn_kwargs), sample_weight=sample_weight)

    def get_config(self) -> dict:
        config = super().get_config()
        if type(self) is MeanMetricWrapper:
            from . import serialize

            config["fn"] = serialize(self._fn)
        return {**config, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        config = dict(config)
        if "fn" in config:
            from . import deserialize

            config["fn"] = deserialize(config["fn"])
        return cls(**config)
