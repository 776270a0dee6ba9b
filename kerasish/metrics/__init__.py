"""keras.metrics: host-side (NumPy) metrics, `get`, (de)serialisation, and `resolve` for compile()."""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from kerasish import losses as _losses
from kerasish.losses.lookup import ObjectLookup

from .accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from .confusion import AUC, Precision, Recall
from .metric import Metric
from .probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from .reduction import Mean, MeanMetricWrapper, Sum
from .regression import MeanAbsoluteError, MeanSquaredError, mean_absolute_error, mean_squared_error

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
bce = BCE = binary_crossentropy

_CLASSES = (Metric, Mean, Sum, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy,
            SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, AUC, Precision, Recall,
            MeanSquaredError, MeanAbsoluteError, BinaryCrossentropy, CategoricalCrossentropy,
            SparseCategoricalCrossentropy)
_FUNCTIONS = (accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy,
              sparse_top_k_categorical_accuracy, mean_squared_error, mean_absolute_error, binary_crossentropy,
              categorical_crossentropy, sparse_categorical_crossentropy)
_ALIASES = {"mse": mse, "MSE": MSE, "mae": mae, "MAE": MAE, "bce": bce, "BCE": BCE}

METRICS = ObjectLookup("metric", "keras.metrics", {**{c.__name__: c for c in _CLASSES},
                                                   **{f.__name__: f for f in _FUNCTIONS}, **_ALIASES})

# compile(metrics=[...]) names whose meaning depends on the loss / output: name -> metric per target kind
_TARGET_DEPENDENT = {
    "accuracy": {"binary": BinaryAccuracy, "sparse": SparseCategoricalAccuracy, "categorical": CategoricalAccuracy},
    "crossentropy": {"binary": BinaryCrossentropy, "sparse": SparseCategoricalCrossentropy,
                     "categorical": CategoricalCrossentropy},
}
_TARGET_DEPENDENT["acc"] = _TARGET_DEPENDENT["accuracy"]
_TARGET_DEPENDENT["ce"] = _TARGET_DEPENDENT["crossentropy"]


def get(identifier: Any) -> Optional[Callable]:
    """A metric from a name ("mse", "AUC"), config dict, function or instance (functions stay functions)."""
    return METRICS.get(identifier)


def serialize(metric: Any) -> dict:
    return METRICS.serialize(metric)


def deserialize(config: Any, custom_objects: Optional[dict] = None) -> Any:
    return METRICS.deserialize(config, custom_objects)


def _target_kind(loss: Any, output_shape: Optional[Sequence[Optional[int]]]) -> tuple:
    """("binary" | "sparse" | "categorical", from_logits) from the loss and the model output shape."""
    loss_obj = _losses.get(loss) if loss is not None else None
    fn = getattr(loss_obj, "fn", loss_obj)
    from_logits = bool(getattr(loss_obj, "_fn_kwargs", {}).get("from_logits", False))
    if fn is _losses.binary_crossentropy or (output_shape and output_shape[-1] == 1):
        return "binary", from_logits
    if fn is _losses.sparse_categorical_crossentropy:
        return "sparse", from_logits
    return "categorical", from_logits


def resolve(identifier: Any, loss: Any = None, output_shape: Optional[Sequence[Optional[int]]] = None) -> Metric:
    """The Metric that compile(metrics=[identifier]) reports, named as it appears in the history.

    "accuracy"/"acc" (and "crossentropy"/"ce") follow Keras' rule: binary when the loss is binary
    crossentropy or the output's last dimension is 1, sparse categorical when the loss is sparse
    categorical crossentropy, categorical otherwise; the history key is the string given.
    Strings name the metric after themselves; plain functions are wrapped in MeanMetricWrapper.
    """
    if isinstance(identifier, str) and identifier.lower() in _TARGET_DEPENDENT:
        kind, from_logits = _target_kind(loss, output_shape)
        family = _TARGET_DEPENDENT[identifier.lower()]
        extra = {"from_logits": from_logits} if family is _TARGET_DEPENDENT["crossentropy"] else {}
        return family[kind](name=identifier, **extra)
    metric = get(identifier)
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric, name=identifier if isinstance(identifier, str) else None)
    elif isinstance(identifier, str):
        metric.name = identifier
    return metric


__all__ = [c.__name__ for c in _CLASSES] + [f.__name__ for f in _FUNCTIONS] + list(_ALIASES) + [
    "get", "serialize", "deserialize", "resolve"]
