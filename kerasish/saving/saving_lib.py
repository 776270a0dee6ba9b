"""Keras 3 state layout: `.weights.h5` files and the `.keras` zip (config.json, metadata.json, model.weights.h5).

Keras 3 stores each saveable (layer, optimizer) in a group named by how it is reached from
the model, never by its (auto-generated) name: the model's own variables are in "vars",
its layers in "layers/<class_snake_case>[_<k>]" (k counting layers of the same class in
`model.layers` order), sub-layers under their attribute names ("lstm/cell"), the
optimizer in "optimizer". A group's "vars" subgroup holds the object's own variables as
datasets "0", "1", ... in creation order (trainable first).

Loading checks every group before assigning anything, so a failed load leaves the model as
it was.
"""
from __future__ import annotations

import datetime
import io
import json
import warnings
import zipfile
from typing import Optional

import h5py
import numpy as np

from kerasish.layers import naming
from kerasish.layers.layer import Layer
from kerasish.optimizers import Optimizer

from kerasish.backend import file_io
from .serialization import (
    SafeModeScope,
    deserialize_keras_object,
    serialize_keras_object,
)

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
KERAS_VERSION = "3.15.1"


def _is_saveable(obj) -> bool:
    return isinstance(obj, (Layer, Optimizer))


_base_attributes: Optional[frozenset] = None


def _layer_base_attributes() -> frozenset:
    """Attributes every Layer has: Keras skips these when looking for child saveables."""
    global _base_attributes
    if _base_attributes is None:
        _base_attributes = frozenset(vars(Layer(name="reference_layer")))
    return _base_attributes


def _own_variables(obj) -> list:
    if isinstance(obj, Optimizer):
        return obj.variables
    return obj._trainable_variables + obj._non_trainable_variables


def _children(obj) -> list:
    """(attribute name, value) pairs to walk: model layers first, then attributes, private ones last."""
    if isinstance(obj, Optimizer):
        return []
    from kerasish.models import Functional, Sequential

    items = [("layers", obj.layers)] if isinstance(obj, (Sequential, Functional)) else []
    skip = _layer_base_attributes()
    names = sorted((n for n in vars(obj) if not n.startswith("__") and n not in skip),
                   key=lambda n: "~" + n if n.startswith("_") else n)
    return items + [(name, getattr(obj, name)) for name in names]


def _walk(obj, path: str, visited: set):
    """Yield (saveable, group path) for `obj` and everything reachable from it, in Keras' order."""
    if id(obj) in visited:
        return
    visited.add(id(obj))
    yield obj, path
    for attr, child in _children(obj):
        child_path = f"{path}/{attr}" if path else attr
        if _is_saveable(child):
            yield from _walk(child, child_path, visited)
        elif isinstance(child, (list, tuple, dict, set)):
            used: dict = {}
            for item in (child.values() if isinstance(child, dict) else child):
                if _is_saveable(item):
                    name = naming.snake_case(type(item).__name__)
                    used[name] = used.get(name, -1) + 1
                    suffix = f"_{used[name]}" if used[name] else ""
                    yield from _walk(item, f"{child_path}/{name}{suffix}", visited)


def _vars_path(path: str) -> str:
    return f"{path}/vars" if path else "vars"


def write_state(model, h5: h5py.File) -> None:
    """Write the model's variables (and its optimizer's) into an open HDF5 file."""
    for obj, path in _walk(model, "", set()):
        group = h5.require_group(_vars_path(path))
        group.attrs["name"] = obj.name
        for i, variable in enumerate(_own_variables(obj)):
            group.create_dataset(str(i), data=np.asarray(variable.numpy()))


def read_state(model, h5: h5py.File, source: str, skip_mismatch: bool = False) -> None:
    """Load every variable from an open HDF5 file in the Keras 3 layout (all checked first)."""
    assignments, errors = [], []
    for obj, path in _walk(model, "", set()):
        variables = _own_variables(obj)
        group = h5.get(_vars_path(path))
        saved = len(group) if group is not None else 0
        if isinstance(obj, Optimizer):
            if group is not None and saved != len(variables):
                warnings.warn(f"Skipping variable loading for optimizer '{obj.name}', because it has {len(variables)} "
                              f"variables whereas the saved optimizer has {saved} variables.", stacklevel=3)
            elif group is not None:
                assignments += [(v, group[str(i)]) for i, v in enumerate(variables)]
            continue
        if saved != len(variables):
            where = f"group '{path or '/'}'" + ("" if group is not None else " (missing from the file)")
            hint = "" if obj.built or variables else " The layer was never built, so it has no variables yet."
            errors.append(f"Layer '{obj.name}' ({where}) expected {len(variables)} variables, but received {saved} "
                          f"variables during loading. Expected: {[v.name for v in variables]}.{hint}")
            continue
        layer_assignments = []
        for i, variable in enumerate(variables):
            dataset = group[str(i)]
            if tuple(dataset.shape) != tuple(variable.shape):
                errors.append(f"Layer '{obj.name}': shape mismatch for weight '{variable.path}': the model expects "
                              f"shape {tuple(variable.shape)}, the file ({source}, dataset "
                              f"'{dataset.name}') has shape {tuple(dataset.shape)}")
                layer_assignments = None
                break
            layer_assignments.append((variable, dataset))
        assignments += layer_assignments or []
    if errors:
        message = f"{len(errors)} object(s) could not be loaded from {source}:\n" + "\n".join(errors)
        if not skip_mismatch:
            raise ValueError(message)
        warnings.warn(message, stacklevel=3)
    values = [(variable, file_io.read_dataset(dataset, source)) for variable, dataset in assignments]
    for variable, value in values:
        variable.assign(np.asarray(value, dtype=variable.dtype))


def save_weights(model, filepath: str) -> None:
    with file_io.atomic_write(filepath) as tmp, h5py.File(tmp, "w") as h5:
        write_state(model, h5)


def load_weights(model, filepath: str, skip_mismatch: bool = False) -> None:
    with file_io.open_h5(filepath) as h5:
        read_state(model, h5, filepath, skip_mismatch)


def save_model(model, filepath: str) -> None:
    """Write the `.keras` zip: metadata.json, config.json (with compile config), model.weights.h5."""
    config = json.dumps(serialize_keras_object(model))
    metadata = json.dumps({"keras_version": KERAS_VERSION,
                           "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")})
    weights = io.BytesIO()
    with h5py.File(weights, "w") as h5:
        write_state(model, h5)
    with file_io.atomic_write(filepath) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr(METADATA_FILENAME, metadata)
        archive.writestr(CONFIG_FILENAME, config)
        archive.writestr(WEIGHTS_FILENAME, weights.getvalue())


def _open_archive(filepath: str) -> zipfile.ZipFile:
    file_io.check_exists(filepath)
    try:
        archive = zipfile.ZipFile(filepath, "r")
    except zipfile.BadZipFile as error:
        raise ValueError(f"'{filepath}' is not a valid `.keras` zip file (damaged or truncated?): {error}") from None
    missing = [n for n in (CONFIG_FILENAME, WEIGHTS_FILENAME) if n not in archive.namelist()]
    if missing:
        archive.close()
        raise ValueError(f"'{filepath}' is not a Keras model archive: it lacks {missing}")
    return archive


def load_model(filepath: str, custom_objects: Optional[dict] = None, compile: bool = True,
               safe_mode: bool = True):
    """Rebuild the model from config.json, then load model.weights.h5 (optimizer state included)."""
    with _open_archive(filepath) as archive:
        config = json.loads(archive.read(CONFIG_FILENAME))
        if not compile:
            config["compile_config"] = None
        with SafeModeScope(safe_mode):
            model = deserialize_keras_object(config, custom_objects, safe_mode=safe_mode)
        _load_archive_weights(model, archive, filepath)
    return model


def _load_archive_weights(model, archive: zipfile.ZipFile, filepath: str, skip_mismatch: bool = False) -> None:
    source = f"{filepath}:{WEIGHTS_FILENAME}"
    with file_io.open_h5(io.BytesIO(archive.read(WEIGHTS_FILENAME)), source) as h5:
        read_state(model, h5, source, skip_mismatch)


def load_weights_from_archive(model, filepath: str, skip_mismatch: bool = False) -> None:
    with _open_archive(filepath) as archive:
        _load_archive_weights(model, archive, filepath, skip_mismatch)
