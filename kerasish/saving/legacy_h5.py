"""Legacy Keras 2 HDF5 files: weights-only (`.h5`) and whole models (`model.save("x.h5")`).

Layout: root attr "layer_names" (every layer of `model.layers`), one group per layer whose
attr "weight_names" lists its datasets in legacy order (trainable weights, then
non-trainable), and "top_level_model_weights". Whole-model files put that under
"model_weights" and add the attrs "model_config" / "training_config" (JSON) and an
"optimizer_weights" group. Weights load by position among the layers that have weights
(topological), or by layer name with `by_name=True`.
"""
from __future__ import annotations

import json
import warnings
from typing import Optional

import h5py
import numpy as np

from kerasish.backend import file_io
from .compile_config import compile_from_training_config, get_training_config
from .saving_lib import KERAS_VERSION
from .serialization import (
    SafeModeScope,
    deserialize_keras_object,
    serialize_keras_object,
)

HDF5_OBJECT_HEADER_LIMIT = 64512
BACKEND_NAME = "kerasish"


# ---- attributes ---------------------------------------------------------------------------
def save_attributes(group: h5py.Group, name: str, data: list) -> None:
    """Store a list of strings as an attribute, split into name0, name1, ... past the header limit."""
    if not data:
        group.attrs[name] = np.zeros((0,), "float64")
        return
    encoded = [x.encode("utf8") for x in data]
    if any(len(x) > HDF5_OBJECT_HEADER_LIMIT for x in encoded):
        raise RuntimeError(f"The following attributes cannot be saved to HDF5 file because they are larger than "
                           f"{HDF5_OBJECT_HEADER_LIMIT} bytes: {[x for x in data if len(x.encode()) > HDF5_OBJECT_HEADER_LIMIT]}")
    chunks = 1
    while max(sum(len(x) for x in part) for part in np.array_split(np.array(encoded, dtype=object), chunks)) > HDF5_OBJECT_HEADER_LIMIT:
        chunks += 1
    parts = [list(part) for part in np.array_split(np.array(data, dtype=object), chunks)]
    string = h5py.string_dtype()
    if chunks == 1:
        group.attrs.create(name, data, dtype=string)
    else:
        for i, part in enumerate(parts):
            group.attrs.create(f"{name}{i}", part, dtype=string)


def load_attributes(group: h5py.Group, name: str) -> list:
    """A string-list attribute (also chunked, and fixed-length byte strings)."""
    def decode(values) -> list:
        return [v.decode("utf8") if isinstance(v, bytes) else str(v) for v in np.atleast_1d(values) if v is not None]

    if name in group.attrs:
        values = group.attrs[name]
        return [] if getattr(values, "size", 1) == 0 or np.asarray(values).dtype.kind == "f" else decode(values)
    data, chunk = [], 0
    while f"{name}{chunk}" in group.attrs:
        data += decode(group.attrs[f"{name}{chunk}"])
        chunk += 1
    return data


# ---- weights ------------------------------------------------------------------------------
def legacy_weights(layer) -> list:
    """Keras 2 weight order: trainable weights, then non-trainable."""
    return layer.trainable_weights + layer.non_trainable_weights


def _write_weights(group: h5py.Group, weights: list) -> None:
    names, used = [], set()
    for variable in weights:
        name = str(variable.path)
        if name in used:
            name = next(f"{name}_{i}" for i in range(1, len(weights) + 1) if f"{name}_{i}" not in used)
        used.add(name)
        names.append(name)
        group.create_dataset(name, data=np.asarray(variable.numpy()))
    save_attributes(group, "weight_names", names)


def write_weights_group(group: h5py.Group, model) -> None:
    save_attributes(group, "layer_names", [layer.name for layer in model.layers])
    group.attrs["backend"] = BACKEND_NAME
    group.attrs["keras_version"] = KERAS_VERSION
    for layer in sorted(model.layers, key=lambda layer: layer.name):
        _write_weights(group.create_group(layer.name), legacy_weights(layer))
    _write_weights(group.create_group("top_level_model_weights"), model._own_weights())


def _saved_values(group: h5py.Group, source: str) -> list:
    return [file_io.read_dataset(group[name], source) for name in load_attributes(group, "weight_names")]


def _check_shapes(layer_label: str, variables: list, values: list, skip_mismatch: bool) -> list:
    """(variable, value) pairs whose shapes agree; a mismatch raises (or warns and is skipped)."""
    pairs = []
    for variable, value in zip(variables, values):
        if tuple(variable.shape) != tuple(value.shape):
            message = (f"Shape mismatch in {layer_label} for weight '{variable.path}': the model expects shape "
                       f"{tuple(variable.shape)}, the saved weight has shape {tuple(value.shape)}")
            if not skip_mismatch:
                raise ValueError(message)
            warnings.warn("Skipping: " + message, stacklevel=4)
            continue
        pairs.append((variable, value))
    return pairs


def _count_mismatch(layer_label: str, expected: int, received: int, skip_mismatch: bool) -> bool:
    message = (f"Weight count mismatch for {layer_label}: the layer expects {expected} weight(s), the file has "
               f"{received} saved weight(s)")
    if not skip_mismatch:
        raise ValueError(message)
    warnings.warn("Skipping: " + message, stacklevel=4)
    return True


def _top_level(group: h5py.Group, model, source: str, skip_mismatch: bool) -> list:
    if "top_level_model_weights" not in group:
        return []
    variables = model._own_weights()
    values = _saved_values(group["top_level_model_weights"], source)
    if len(values) != len(variables):
        _count_mismatch("the model's top-level weights", len(variables), len(values), skip_mismatch)
        return []
    return _check_shapes("the model's top-level weights", variables, values, skip_mismatch)


def read_weights_group(group: h5py.Group, model, source: str, skip_mismatch: bool = False) -> None:
    """Topological loading: the k-th saved layer with weights goes to the k-th model layer with weights."""
    layers = [layer for layer in model.layers if legacy_weights(layer)]
    if "layer_names" not in group.attrs and "layer_names0" not in group.attrs:
        raise ValueError(f"'{source}' is not a legacy Keras weights file: it has no 'layer_names' attribute")
    names = [n for n in load_attributes(group, "layer_names") if _has_weights(group, n, source)]
    if len(names) != len(layers):
        raise ValueError(f"Layer count mismatch when loading weights from file {source}. Model expected "
                         f"{len(layers)} layers with weights, found {len(names)} saved layers with weights "
                         f"(model: {[layer.name for layer in layers]}, file: {names})")
    pairs = []
    for k, (name, layer) in enumerate(zip(names, layers)):
        variables, values = legacy_weights(layer), _saved_values(group[name], source)
        label = f"layer #{k} (named '{layer.name}' in the model, '{name}' in the file)"
        if len(values) != len(variables):
            raise ValueError(f"Weight count mismatch for {label}: the layer expects {len(variables)} weight(s), "
                             f"the file has {len(values)} saved weight(s)")
        pairs += _check_shapes(label, variables, values, skip_mismatch)
    pairs += _top_level(group, model, source, skip_mismatch)
    _assign(pairs)


def read_weights_group_by_name(group: h5py.Group, model, source: str, skip_mismatch: bool = False) -> None:
    """Name-based loading: saved layers go to model layers of the same name; others are ignored."""
    by_name: dict = {}
    for layer in model.layers:
        by_name.setdefault(layer.name, []).append(layer)
    pairs = []
    for k, name in enumerate(load_attributes(group, "layer_names")):
        if name not in by_name:
            continue
        values = _saved_values(group[name], source)
        for layer in by_name[name]:
            variables = legacy_weights(layer)
            label = f"layer #{k} (named '{layer.name}')"
            if len(values) != len(variables):
                _count_mismatch(label, len(variables), len(values), skip_mismatch)
                continue
            pairs += _check_shapes(label, variables, values, skip_mismatch)
    pairs += _top_level(group, model, source, skip_mismatch)
    _assign(pairs)


def _has_weights(group: h5py.Group, name: str, source: str) -> bool:
    if name not in group:
        raise ValueError(f"'{source}' is damaged: layer '{name}' is listed in layer_names but has no group")
    return bool(load_attributes(group[name], "weight_names"))


def _assign(pairs: list) -> None:
    for variable, value in pairs:
        variable.assign(np.asarray(value, dtype=variable.dtype))


def weights_root(h5: h5py.File) -> h5py.Group:
    """The group holding layer weights: the file itself, or "model_weights" in a whole-model file."""
    if "layer_names" not in h5.attrs and "model_weights" in h5:
        return h5["model_weights"]
    return h5


def save_weights(model, filepath: str) -> None:
    with file_io.atomic_write(filepath) as tmp, h5py.File(tmp, "w") as h5:
        write_weights_group(h5, model)


def load_weights(model, filepath: str, skip_mismatch: bool = False, by_name: bool = False) -> None:
    with file_io.open_h5(filepath) as h5:
        reader = read_weights_group_by_name if by_name else read_weights_group
        reader(weights_root(h5), model, filepath, skip_mismatch)


# ---- whole models -------------------------------------------------------------------------
def _legacy_config(serialized: dict) -> dict:
    """Keras' legacy model_config spelling: model and layer entries without module / registered_name /
    build_config (nested objects such as initializers keep theirs)."""
    config = dict(serialized["config"])
    if isinstance(config.get("layers"), list):
        config["layers"] = [_legacy_layer(entry) for entry in config["layers"]]
    return {"class_name": serialized["class_name"], "config": config}


def _legacy_layer(entry: dict) -> dict:
    out = _legacy_config(entry)
    out.update({key: entry[key] for key in ("name", "inbound_nodes") if key in entry})
    return out


def save_model(model, filepath: str, include_optimizer: bool = True) -> None:
    """`model.save("x.h5")`: config, training config, weights and optimizer state in one HDF5 file."""
    serialized = serialize_keras_object(model)
    model_config = _legacy_config(serialized)
    with file_io.atomic_write(filepath) as tmp, h5py.File(tmp, "w") as h5:
        h5.attrs["backend"] = BACKEND_NAME
        h5.attrs["keras_version"] = KERAS_VERSION
        h5.attrs["model_config"] = json.dumps(model_config)
        if getattr(model, "compiled", False) and model.optimizer is not None:
            h5.attrs["training_config"] = json.dumps(get_training_config(model))
        write_weights_group(h5.create_group("model_weights"), model)
        if include_optimizer and getattr(model, "optimizer", None) is not None and model.optimizer.variables:
            optimizer_group = h5.create_group("optimizer_weights")
            _write_weights(optimizer_group, model.optimizer.variables)


def load_model(filepath: str, custom_objects: Optional[dict] = None, compile: bool = True, safe_mode: bool = True):
    with file_io.open_h5(filepath) as h5:
        model_config = h5.attrs.get("model_config")
        if model_config is None:
            raise ValueError(f"No model config found in the file at {filepath}: it holds weights only; build the "
                             "model and use `model.load_weights()`")
        model_config = json.loads(model_config.decode("utf-8") if isinstance(model_config, bytes) else model_config)
        with SafeModeScope(safe_mode):
            model = deserialize_keras_object(model_config, custom_objects, safe_mode=safe_mode)
        read_weights_group(h5["model_weights"], model, filepath)
        training_config = h5.attrs.get("training_config")
        if compile and training_config is not None:
            if isinstance(training_config, bytes):
                training_config = training_config.decode("utf-8")
            compile_from_training_config(model, json.loads(training_config), custom_objects)
            _load_optimizer_weights(h5, model, filepath)
    return model


def _load_optimizer_weights(h5: h5py.File, model, source: str) -> None:
    if "optimizer_weights" not in h5:
        return
    values = _saved_values(h5["optimizer_weights"], source)
    variables = model.optimizer.variables
    if len(values) != len(variables) or any(tuple(v.shape) != tuple(x.shape) for v, x in zip(variables, values)):
        warnings.warn(f"Error in loading the saved optimizer state ({len(values)} saved variables, the optimizer has "
                      f"{len(variables)}). As a result, your model is starting with a freshly initialized optimizer.",
                      stacklevel=3)
        return
    _assign(list(zip(variables, values)))
