"""Public saving API: chooses the file format from the path, as Keras 3 does.

- `.weights.h5`: Keras 3 weights; `.h5` / `.hdf5`: legacy Keras 2 weights (written on request,
  read in topological order or by name); `.keras`: the Keras 3 zip (config, weights, optimizer
  state, compile config); `model.save("x.h5")`: legacy whole-model HDF5.
- Every write goes to a temporary file beside the target that replaces it only once complete.
"""
from __future__ import annotations

import json
import os
import zipfile
from typing import Callable, Optional

import h5py

from kerasish.backend import file_io

from . import legacy_h5, saving_lib
from .serialization import (
    deserialize_keras_object,
    functional_from_config,
    serialize_keras_object,
)

_LEGACY_SUFFIXES = (".h5", ".hdf5")


def _path(filepath) -> str:
    return os.fspath(filepath)


def _check_overwrite(filepath: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"'{filepath}' already exists and overwrite=False")


def _is_keras3_weights_file(filepath: str) -> bool:
    """A `.h5` file in the Keras 3 layout (no legacy "layer_names" attribute, a "vars"/"layers" group)."""
    with file_io.open_h5(filepath) as h5:
        legacy = "layer_names" in h5.attrs or "layer_names0" in h5.attrs or "model_weights" in h5
        return not legacy and ("vars" in h5 or "layers" in h5)


def _chosen_format(filepath: str, save_format: Optional[str], default: Optional[str]) -> Optional[str]:
    """"h5" (legacy Keras 2 HDF5) or "keras" (Keras 3): `save_format` wins over the file extension."""
    if save_format is None:
        return default
    if save_format in ("h5", "hdf5"):
        return "h5"
    if save_format == "keras":
        return "keras"
    raise ValueError(f"Unsupported save_format={save_format!r} for '{filepath}': expected 'keras' or 'h5' "
                     "(TensorFlow SavedModel, save_format='tf', is not available in kerasish)")


def _extension_format(filepath: str, keras_suffix: str) -> Optional[str]:
    if filepath.endswith(keras_suffix):
        return "keras"
    return "h5" if filepath.endswith(_LEGACY_SUFFIXES) else None


def save_weights(model, filepath, overwrite: bool = True, save_format: Optional[str] = None) -> None:
    """`.weights.h5`: Keras 3 layout; `.h5`/`.hdf5` or save_format="h5": legacy Keras 2 layout."""
    filepath = _path(filepath)
    _check_overwrite(filepath, overwrite)
    chosen = _chosen_format(filepath, save_format, _extension_format(filepath, ".weights.h5"))
    if chosen == "keras":
        saving_lib.save_weights(model, filepath)
    elif chosen == "h5":
        legacy_h5.save_weights(model, filepath)
    else:
        raise ValueError(f"The filename must end in `.weights.h5` (or `.h5` for the legacy Keras 2 format). "
                         f"Received: filepath={filepath}")


def _sniffed_format(filepath: str) -> Optional[str]:
    """"archive", "keras3_h5" or "legacy_h5" by content, for files whose extension says nothing."""
    if zipfile.is_zipfile(filepath):
        return "archive"
    if h5py.is_hdf5(filepath):
        return "keras3_h5" if _is_keras3_weights_file(filepath) else "legacy_h5"
    return None


def load_weights(model, filepath, skip_mismatch: bool = False, by_name: bool = False) -> None:
    """Load weights from a `.weights.h5`, `.keras`, or legacy `.h5`/`.hdf5` file (other names: by content)."""
    filepath = _path(filepath)
    file_io.check_exists(filepath)
    if filepath.endswith(".keras"):
        kind = "archive"
    elif filepath.endswith(".weights.h5"):
        kind = "keras3_h5"
    else:
        kind = _sniffed_format(filepath)
    if kind == "archive":
        _no_by_name(by_name, filepath)
        saving_lib.load_weights_from_archive(model, filepath, skip_mismatch)
    elif kind == "keras3_h5":
        _no_by_name(by_name, filepath)
        saving_lib.load_weights(model, filepath, skip_mismatch)
    elif kind == "legacy_h5":
        legacy_h5.load_weights(model, filepath, skip_mismatch, by_name)
    else:
        raise ValueError(f"File format not supported: filepath={filepath}. Keras 3 only supports V3 `.keras` and "
                         "`.weights.h5` files, or legacy V1/V2 `.h5` files.")


def _no_by_name(by_name: bool, filepath: str) -> None:
    if by_name:
        raise ValueError(f"by_name=True is only supported for legacy `.h5` weights files; '{filepath}' is in the "
                         "Keras 3 format, whose weights are matched by model structure")


def save_model(model, filepath, overwrite: bool = True, include_optimizer: bool = True,
               save_format: Optional[str] = None) -> None:
    """`.keras`: Keras 3 zip; `.h5`/`.hdf5` or save_format="h5": legacy whole-model HDF5."""
    filepath = _path(filepath)
    _check_overwrite(filepath, overwrite)
    chosen = _chosen_format(filepath, save_format, _extension_format(filepath, ".keras"))
    if chosen == "keras":
        saving_lib.save_model(model, filepath)
    elif chosen == "h5":
        legacy_h5.save_model(model, filepath, include_optimizer)
    else:
        raise ValueError("Invalid filepath extension for saving. Please add either a `.keras` extension for the native "
                         f"Keras format (recommended) or a `.h5` extension. Received: filepath={filepath}")


def load_model(filepath, custom_objects: Optional[dict] = None, compile: bool = True, safe_mode: bool = True):
    """A model saved by `model.save` (`.keras` zip or legacy `.h5`; other names: by content), compiled if it was."""
    filepath = _path(filepath)
    file_io.check_exists(filepath)
    if filepath.endswith(".keras"):
        return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)
    if filepath.endswith(_LEGACY_SUFFIXES) or _sniffed_format(filepath) == "legacy_h5":
        return legacy_h5.load_model(filepath, custom_objects, compile, safe_mode)
    if _sniffed_format(filepath) == "archive":
        return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)
    raise ValueError(f"File format not supported: filepath={filepath}. Keras 3 only supports V3 `.keras` files and "
                     "legacy H5 format files (`.h5` extension).")


def to_json(model, **kwargs) -> str:
    return json.dumps(serialize_keras_object(model), **kwargs)


def model_from_json(json_string: str, custom_objects: Optional[dict] = None):
    """A new (uncompiled weights, fresh values) model from `model.to_json()` output."""
    return deserialize_keras_object(json.loads(json_string), custom_objects)


def clone_model(model, input_tensors=None, clone_function: Optional[Callable] = None):
    """Same architecture with new layers (freshly initialized); `clone_function(layer)` makes each layer."""
    from kerasish.layers.input_layer import InputLayer
    from kerasish.models import Functional, Sequential

    clone = clone_function or (lambda layer: type(layer).from_config(layer.get_config()))
    if input_tensors is not None:
        raise NotImplementedError("clone_model(input_tensors=...) is not supported; clone, then call the clone")
    if isinstance(model, Sequential):
        layers = [type(l).from_config(l.get_config()) if isinstance(l, InputLayer) else clone(l) for l in model._layers]
        return Sequential(layers, name=model.name, trainable=model.trainable)
    if isinstance(model, Functional):
        config = serialize_keras_object(model)["config"]
        return functional_from_config(config, make_layer=lambda data: clone(model.get_layer(data["name"])))
    raise ValueError(f"clone_model only supports Sequential and Functional models; got {type(model).__name__}")
