"""A model's compile arguments as Keras 3 "compile_config" (and the legacy "training_config")."""
from __future__ import annotations

from typing import Any, Optional

from kerasish import losses, metrics, optimizers


def _serialize_each(value: Any, family) -> Any:
    """Names stay names; loss/metric objects and functions become their serialized dicts."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_serialize_each(v, family) for v in value]
    if isinstance(value, dict):
        return {k: _serialize_each(v, family) for k, v in value.items()}
    return family.serialize(value)


def _deserialize_each(value: Any, family, custom_objects: Optional[dict]) -> Any:
    if isinstance(value, dict) and "class_name" in value:
        return family.deserialize(value, custom_objects)
    if isinstance(value, dict):
        return {k: _deserialize_each(v, family, custom_objects) for k, v in value.items()}
    if isinstance(value, list):
        return [_deserialize_each(v, family, custom_objects) for v in value]
    return value


def get_compile_config(model) -> dict:
    """Keras 3 `model.get_compile_config()`."""
    cfg = model._compile_config
    return {"optimizer": optimizers.serialize(model.optimizer), "loss": _serialize_each(cfg["loss"], losses),
            "loss_weights": cfg["loss_weights"], "metrics": _serialize_each(cfg["metrics"], metrics),
            "weighted_metrics": _serialize_each(cfg["weighted_metrics"], metrics), "run_eagerly": False,
            "steps_per_execution": 1, "jit_compile": False}


def compile_from_config(model, config: dict, custom_objects: Optional[dict] = None) -> None:
    """Compile `model` as described, and create the optimizer's slots so its saved state can load."""
    optimizer = config.get("optimizer") or "rmsprop"
    optimizer = optimizers.deserialize(optimizer, custom_objects) if isinstance(optimizer, dict) else optimizers.get(optimizer)
    model.compile(optimizer=optimizer, loss=_deserialize_each(config.get("loss"), losses, custom_objects),
                  loss_weights=config.get("loss_weights"),
                  metrics=_deserialize_each(config.get("metrics"), metrics, custom_objects),
                  weighted_metrics=_deserialize_each(config.get("weighted_metrics"), metrics, custom_objects))
    if model.built:
        model.optimizer.build(model.trainable_weights)


def get_training_config(model) -> dict:
    """The legacy HDF5 "training_config": compile config with "optimizer_config" in place of "optimizer"."""
    config = get_compile_config(model)
    optimizer = config.pop("optimizer")
    config["optimizer_config"] = {"class_name": optimizer["class_name"], "config": optimizer["config"]}
    return config


def compile_from_training_config(model, training_config: dict, custom_objects: Optional[dict] = None) -> None:
    config = {k: v for k, v in training_config.items() if k != "optimizer_config"}
    config["optimizer"] = training_config.get("optimizer_config")
    compile_from_config(model, config, custom_objects)
