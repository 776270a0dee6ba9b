"""`train.Saver`: variables to and from an HDF5 file, one dataset per variable name.

Saving writes a temporary file beside the target and renames it over the target, so a
crash mid-save never leaves a truncated checkpoint behind.
"""
from __future__ import annotations

import os
import tempfile
from typing import Optional, Union

import h5py
import numpy as np

from .tf_api import global_variables


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


class Saver:
    """Saves and restores `var_list` (default: every variable of the default graph now).

    `var_list` may be a dict name -> variable. `max_to_keep` and `name` are accepted for
    TF1 compatibility; each save writes exactly one file and deletes none.
    """

    def __init__(self, var_list: Optional[Union[list, dict]] = None, max_to_keep: int = 5, name: Optional[str] = None):
        self.variables = _keyed(global_variables() if var_list is None else var_list)
        if not self.variables:
            raise ValueError("Saver: there are no variables to save")

    def save(self, sess, save_path: str, global_step: Optional[int] = None) -> str:
        """Write every variable to `save_path` (`-<global_step>` appended when given); returns the path."""
        path = os.fspath(save_path) if global_step is None else f"{os.fspath(save_path)}-{int(global_step)}"
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=os.path.basename(path) + ".", suffix=".tmp")
        os.close(handle)
        try:
            with h5py.File(tmp, "w") as f:
                for name, variable in self.variables.items():
                    f.create_dataset(name, data=variable.numpy())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        return path

    def restore(self, sess, save_path: str) -> None:
        """Load every variable from `save_path`; a missing name or a shape mismatch raises."""
        with h5py.File(os.fspath(save_path), "r") as f:
            stored = _datasets(f)
            missing = [name for name in self.variables if name not in stored]
            if missing:
                raise KeyError(f"checkpoint '{save_path}' has no value for variable(s) {missing}; it holds {sorted(stored)}")
            values = {name: np.asarray(stored[name]) for name in self.variables}
        for name, variable in self.variables.items():
            if values[name].shape != tuple(variable.shape):
                raise ValueError(f"checkpoint '{save_path}': '{name}' has shape {values[name].shape}, "
                                 f"the variable {tuple(variable.shape)}")
        for name, variable in self.variables.items():
            variable.assign(values[name])
