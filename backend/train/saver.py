"""`train.Saver`: variables to and from an HDF5 checkpoint, one dataset per variable name.

It shares the savers' file handling (backend/file_io.py) with Keras' `save_weights`: writes go
to a temporary file renamed over the target, and a missing, foreign or truncated checkpoint
raises an error naming the file. Like TF1, each save records itself in a `checkpoint` state
file beside it (read by `latest_checkpoint`) and only the newest `max_to_keep` are kept.
"""
from __future__ import annotations

import json
import os
from typing import Optional, Union

import h5py

from .. import file_io
from ..tf_api import global_variables

STATE_FILENAME = "checkpoint"


def _base_name(variable) -> str:
    return variable.name.split(":")[0]


def _keyed(var_list) -> dict:
    """name -> variable. A list's repeated names get TF-style suffixes (`w`, `w_1`, ...) in order."""
    if isinstance(var_list, dict):
        return dict(var_list)
    keyed: dict = {}
    for variable in var_list:
        base = name = _base_name(variable)
        count = 0
        while name in keyed:
            count += 1
            name = f"{base}_{count}"
        keyed[name] = variable
    return keyed


def _datasets(group: h5py.Group) -> dict:
    """path -> dataset for every dataset under `group` (scoped names are nested groups)."""
    found: dict = {}

    def visit(key: str, item) -> None:
        if isinstance(item, h5py.Dataset):
            found[key] = item

    group.visititems(visit)
    return found


def _read_state(directory: str) -> list:
    """Checkpoint paths recorded in `directory`'s state file, oldest first."""
    path = os.path.join(directory, STATE_FILENAME)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line.split(":", 1)[1]) for line in handle if line.startswith("all_model_checkpoint_paths:")]


def _write_state(directory: str, paths: list) -> None:
    """TF1's text form: `model_checkpoint_path: "..."` then one `all_model_checkpoint_paths` line per file."""
    lines = [f"model_checkpoint_path: {json.dumps(paths[-1])}"]
    lines += [f"all_model_checkpoint_paths: {json.dumps(p)}" for p in paths]
    with file_io.atomic_write(os.path.join(directory, STATE_FILENAME)) as tmp:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")


def latest_checkpoint(checkpoint_dir: str) -> Optional[str]:
    """The newest checkpoint a Saver recorded in `checkpoint_dir`, or None."""
    paths = _read_state(os.fspath(checkpoint_dir))
    if not paths:
        return None
    latest = paths[-1]
    return latest if os.path.isabs(latest) else os.path.join(os.fspath(checkpoint_dir), latest)


class Saver:
    """Saves and restores `var_list` (default: every variable of the default graph now).

    `var_list` may be a dict name -> variable. `max_to_keep` (None or 0: keep all) bounds the
    checkpoints kept per folder, oldest deleted first.
    """

    def __init__(self, var_list: Optional[Union[list, dict]] = None, max_to_keep: Optional[int] = 5,
                 name: Optional[str] = None):
        self.variables = _keyed(global_variables() if var_list is None else var_list)
        if not self.variables:
            raise ValueError("Saver: there are no variables to save")
        self.max_to_keep = max_to_keep

    def save(self, sess, save_path: str, global_step: Optional[int] = None, write_state: bool = True) -> str:
        """Write every variable to `save_path` (`-<global_step>` appended when given); returns the path."""
        path = os.fspath(save_path) if global_step is None else f"{os.fspath(save_path)}-{int(global_step)}"
        with file_io.atomic_write(path) as tmp:
            with h5py.File(tmp, "w") as f:
                for name, variable in self.variables.items():
                    f.create_dataset(name, data=variable.numpy())
        if write_state:
            self._record(path)
        return path

    def _record(self, path: str) -> None:
        directory = os.path.dirname(os.path.abspath(path))
        entry = os.path.basename(path)
        kept = [p for p in _read_state(directory) if p != entry] + [entry]
        if self.max_to_keep:
            for old in kept[:-self.max_to_keep]:
                old_path = os.path.join(directory, old)
                if os.path.exists(old_path):
                    os.remove(old_path)
            kept = kept[-self.max_to_keep:]
        _write_state(directory, kept)

    def restore(self, sess, save_path: str) -> None:
        """Load every variable from `save_path`; a missing name or a shape mismatch raises, loading nothing."""
        save_path = os.fspath(save_path)
        with file_io.open_h5(save_path) as f:
            stored = _datasets(f)
            missing = [name for name in self.variables if name not in stored]
            if missing:
                raise KeyError(f"checkpoint '{save_path}' has no value for variable(s) {missing}; it holds {sorted(stored)}")
            values = {name: file_io.read_dataset(stored[name], save_path) for name in self.variables}
        for name, variable in self.variables.items():
            if values[name].shape != tuple(variable.shape):
                raise ValueError(f"checkpoint '{save_path}': '{name}' has shape {values[name].shape}, "
                                 f"the variable {tuple(variable.shape)}")
        for name, variable in self.variables.items():
            variable.assign(values[name])
