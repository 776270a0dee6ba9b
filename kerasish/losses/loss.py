"""The Loss base class and the reduction rules every loss shares (Keras 3 semantics).

Losses are graph code: they are written with backend ops only, so the same code adds
nodes when `y_pred` is a symbolic Tensor and runs at once (eagerly) on arrays.
"""
from __future__ import annotations

import contextlib
import re
from typing import Any, Callable, Optional

import numpy as np

from kerasish.backend import dtypes
from kerasish.backend.graph import Tensor
from kerasish.backend.ops.array import expand_dims, squeeze
from kerasish.backend.ops.math import add, cast, divide, equal, multiply, reduce_sum, reduction_size, where
from kerasish.backend.registry import is_symbolic

EPSILON = 1e-7
REDUCTIONS = ("sum_over_batch_size", "sum", "none", None, "mean", "mean_with_sample_weight")


def snake_case(name: str) -> str:
    """`MeanSquaredError` -> `mean_squared_error` (Keras' automatic names)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def standardize_reduction(reduction: Optional[str]) -> Optional[str]:
    if reduction not in REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of {list(REDUCTIONS)}. "
                         f"Received: reduction={reduction!r}")
    return reduction


def convert(x: Any, dtype=None):
    """A value backend ops accept: symbolic tensors pass, lists/scalars become arrays; cast to `dtype`."""
    if not is_symbolic(x) and not hasattr(x, "dtype"):
        x = np.asarray(x)
    return x if dtype is None else cast(x, dtype)


def match_ranks(x1, x2, squeeze_fn: Callable, expand_fn: Callable, expand_rank_1: bool = True):
    """Keras' squeeze_or_expand_to_same_rank: fix ranks differing by one trailing size-1 axis."""
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = expand_fn(x2, axis=-1)
        else:
            x1 = squeeze_fn(x1, axis=-1)
    elif rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = expand_fn(x1, axis=-1)
        else:
            x2 = squeeze_fn(x2, axis=-1)
    return x1, x2


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    return match_ranks(x1, x2, squeeze, expand_dims, expand_rank_1)


def divide_no_nan(a, b):
    """a / b, and 0 where b == 0 (with a zero gradient there)."""
    zero = equal(b, 0.0)
    return where(zero, 0.0, divide(a, where(zero, 1.0, b)))


def _per_sample(weight, values):
    """Sample weights of lower rank broadcast per sample (leading axes), not per last axis."""
    for _ in range(len(values.shape) - len(weight.shape)):
        weight = expand_dims(weight, axis=-1)
    return weight


def apply_mask(sample_weight, mask, dtype, reduction: Optional[str]):
    """Fold a boolean mask into the sample weights; means then divide by the valid count."""
    if mask is None:
        return sample_weight
    mask = cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        total = cast(reduction_size(mask), dtype)
        mask = multiply(mask, divide(total, add(reduce_sum(mask), EPSILON)))
    if sample_weight is None:
        return mask
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return multiply(_per_sample(sample_weight, mask), mask)


def reduce_values(values, sample_weight=None, reduction: Optional[str] = "sum_over_batch_size"):
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    loss = reduce_sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = reduce_sum(sample_weight)
    else:
        divisor = cast(reduction_size(values), loss.dtype)
    return divide_no_nan(loss, divisor)


def reduce_weighted_values(values, sample_weight=None, mask=None, reduction: Optional[str] = "sum_over_batch_size",
                           dtype=None):
    """Weight per-sample losses (and mask them), then reduce as `reduction` says."""
    values = convert(values, dtype)
    if sample_weight is not None:
        sample_weight = convert(sample_weight, values.dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = multiply(values, _per_sample(sample_weight, values))
    return reduce_values(values, sample_weight, reduction)


class Loss:
    """Base class: subclasses implement `call(y_true, y_pred)` -> per-sample losses."""

    def __init__(self, name: Optional[str] = None, reduction: Optional[str] = "sum_over_batch_size", dtype=None):
        self.name = name or snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self.dtype = dtypes.as_dtype(dtype).name

    def __call__(self, y_true, y_pred, sample_weight=None):
        scope = y_pred.graph.name_scope(self.name) if isinstance(y_pred, Tensor) else contextlib.nullcontext()
        with scope:
            y_pred = convert(y_pred, self.dtype)
            y_true = convert(y_true, self.dtype)
            losses = self.call(y_true, y_pred)
            mask = self.compute_mask(y_true, y_pred)
            return reduce_weighted_values(losses, sample_weight, mask, self.reduction, self.dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred)")

    def compute_mask(self, y_true, y_pred):
        """A boolean mask over the per-sample losses (entries to leave out of the mean), or None."""
        return None

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


class LossFunctionWrapper(Loss):
    """A Loss around a function `fn(y_true, y_pred, **kwargs)` returning per-sample losses."""

    def __init__(self, fn: Callable, reduction: Optional[str] = "sum_over_batch_size", name: Optional[str] = None,
                 dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        if type(self) is LossFunctionWrapper:
            from . import serialize

            config["fn"] = serialize(self.fn)
        return {**config, **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        config = dict(config)
        if "fn" in config:
            from . import deserialize

            config["fn"] = deserialize(config["fn"])
        return cls(**config)
