"""keras.losses: Loss classes, their function forms, and `get` / `serialize` / `deserialize`."""
from __future__ import annotations

from typing import Any, Callable, Optional

from .lookup import ObjectLookup
from .loss import Loss, LossFunctionWrapper, reduce_weighted_values, squeeze_or_expand_to_same_rank
from .probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    sparse_categorical_crossentropy,
)
from .regression import Huber, MeanAbsoluteError, MeanSquaredError, huber, mean_absolute_error, mean_squared_error

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
kld = KLD = kl_divergence
bce = BCE = binary_crossentropy

_CLASSES = (Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy,
            CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence)
_FUNCTIONS = (mean_squared_error, mean_absolute_error, huber, binary_crossentropy, categorical_crossentropy,
              sparse_categorical_crossentropy, kl_divergence)
_ALIASES = {"mse": mse, "MSE": MSE, "mae": mae, "MAE": MAE, "kld": kld, "KLD": KLD, "bce": bce, "BCE": BCE}

LOSSES = ObjectLookup("loss", "keras.losses", {**{c.__name__: c for c in _CLASSES},
                                               **{f.__name__: f for f in _FUNCTIONS}, **_ALIASES})


def get(identifier: Any) -> Optional[Callable]:
    """A loss from a name ("mse", "CategoricalCrossentropy"), config dict, function or instance."""
    return LOSSES.get(identifier)


def serialize(loss: Any) -> dict:
    return LOSSES.serialize(loss)


def deserialize(config: Any, custom_objects: Optional[dict] = None) -> Any:
    return LOSSES.deserialize(config, custom_objects)


__all__ = [c.__name__ for c in _CLASSES] + [f.__name__ for f in _FUNCTIONS] + list(_ALIASES) + [
    "get", "serialize", "deserialize", "reduce_weighted_values", "squeeze_or_expand_to_same_rank"]
