"""Lambda: wraps an expression `function(inputs, **arguments)` as a layer.

Lambdas are serialised as Python bytecode (as Keras does: portable only to the same Python
version); named functions by module and name.
"""
from __future__ import annotations

import base64
import importlib
import inspect
import marshal
import types
from typing import Callable

from kerasish.layers.layer import Layer


def _dump_function(function: Callable) -> dict:
    if isinstance(function, types.LambdaType) and function.__name__ == "<lambda>":
        code = base64.b64encode(marshal.dumps(function.__code__)).decode("ascii")
        closure = None if function.__closure__ is None else [cell.cell_contents for cell in function.__closure__]
        return {"class_name": "__lambda__", "config": {"code": code, "defaults": function.__defaults__, "closure": closure}}
    if not isinstance(function, types.FunctionType):
        raise ValueError(f"Lambda: cannot serialise {function!r}: wrap it in a `def` function or a lambda")
    return {"module": function.__module__, "class_name": "function", "config": function.__name__,
            "registered_name": "function"}


def _lambda_globals() -> dict:
    """Names a deserialised lambda may use: the Keras-style `keras` / `ops` modules and NumPy."""
    import numpy

    import kerasish

    return {"__builtins__": __builtins__, "keras": kerasish, "ops": kerasish.ops, "np": numpy}


def _load_function(config, custom_objects=None) -> Callable:
    if callable(config):
        return config
    if isinstance(config, str):
        if custom_objects and config in custom_objects:
            return custom_objects[config]
        raise ValueError(f"Lambda: cannot resolve function {config!r}; pass it in custom_objects")
    if config.get("class_name") == "__lambda__":
        code = marshal.loads(base64.b64decode(config["config"]["code"]))
        defaults, closure = config["config"].get("defaults"), config["config"].get("closure")
        return types.FunctionType(code, _lambda_globals(), None, tuple(defaults) if defaults else None,
                                  None if closure is None else tuple(types.CellType(v) for v in closure))
    name = config["config"]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return getattr(importlib.import_module(config["module"]), name)


class Lambda(Layer):
    def __init__(self, function: Callable, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda: `function` must be callable, got {function!r}")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = tuple(output_shape) if isinstance(output_shape, (list, tuple)) else output_shape
        params = inspect.signature(function).parameters
        self._fn_takes = {k for k in ("mask", "training") if k in params}

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if "mask" in self._fn_takes:
            kwargs["mask"] = mask
        if "training" in self._fn_takes:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return tuple(self._output_shape(input_shape))
        return (input_shape[0],) + self._output_shape

    def get_config(self) -> dict:
        config = {**super().get_config(), "function": _dump_function(self.function), "arguments": self.arguments}
        if self._output_shape is not None:
            config["output_shape"] = (_dump_function(self._output_shape) if callable(self._output_shape)
                                      else self._output_shape)
        if self.mask is not None:
            config["mask"] = _dump_function(self.mask) if callable(self.mask) else self.mask
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        config["function"] = _load_function(config["function"], custom_objects)
        for key in ("output_shape", "mask"):
            if isinstance(config.get(key), (dict, str)):
                config[key] = _load_function(config[key], custom_objects)
        return super().from_config(config)
