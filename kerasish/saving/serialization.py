"""Keras 3 object (de)serialization and the Sequential / Functional model configs.

Serialized objects are dicts {"module", "class_name", "config", "registered_name"} (plus
"build_config" / "compile_config" for layers and models), exactly as Keras 3 writes them,
so configs round-trip with Keras. Loading never imports modules named in a config and never
unpickles: classes come from kerasish's own registries, `custom_objects`, or classes
registered with `register_keras_serializable`. Python lambdas stored as bytecode are refused
in safe mode (the default).
"""
from __future__ import annotations

import contextlib
import inspect
import threading
import types
from collections.abc import Iterator
from typing import Any, Callable, Optional

import numpy as np

from kerasish.layers.keras_tensor import KerasTensor
from kerasish.layers.layer import Layer

from . import object_registration

_LAMBDA_REFUSED = ("Requested the deserialization of a Python lambda (in a `Lambda` layer or another object). This "
                   "carries a potential risk of arbitrary code execution and thus it is disallowed by default. If "
                   "you trust the source of the saved model, pass `safe_mode=False` to the loading function in order "
                   "to allow lambda loading, or pass the function in `custom_objects`.")
_MODEL_MODULES = ("keras", "keras.models", "keras.src.models.functional", "keras.src.models.sequential",
                  "keras.src.models.model")
_POLICY_CLASSES = ("DTypePolicy", "FloatDTypePolicy", "Policy")


# ---- safe mode ----------------------------------------------------------------------------
class _SafeMode(threading.local):
    def __init__(self):
        self.value: Optional[bool] = None


_safe_mode = _SafeMode()


@contextlib.contextmanager
def SafeModeScope(safe_mode: bool = True) -> Iterator[None]:
    """Nested deserializations (model -> layers) inherit the loader's safe_mode."""
    previous, _safe_mode.value = _safe_mode.value, safe_mode
    try:
        yield
    finally:
        _safe_mode.value = previous


def in_safe_mode() -> bool:
    return True if _safe_mode.value is None else _safe_mode.value


# ---- serialization ------------------------------------------------------------------------
def _public_module(cls: type) -> str:
    """The Keras module a built-in class is serialized under ("keras.layers", ...)."""
    module = cls.__module__
    if module.startswith("kerasish.layers."):
        return "keras.layers"
    if module.startswith("kerasish.optimizers.schedules"):
        return "keras.optimizers.schedules"
    for family in ("optimizers", "losses", "metrics", "initializers", "regularizers", "constraints"):
        if module.startswith(f"kerasish.{family}"):
            return f"keras.{family}"
    return module


def _is_builtin(cls: type) -> bool:
    return cls.__module__.startswith("kerasish.") and cls not in object_registration.GLOBAL_CUSTOM_NAMES


def serialize_keras_object(obj: Any) -> Any:
    """The JSON-ready Keras 3 form of `obj` (objects, functions, containers and plain values)."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, KerasTensor):
        layer, node_index, tensor_index = obj._keras_history
        return _tensor_config(obj, [layer.name, node_index, tensor_index])
    if isinstance(obj, types.FunctionType):
        return _serialize_function(obj)
    if hasattr(obj, "get_config"):
        return _serialize_class_instance(obj)
    raise TypeError(f"Cannot serialize {obj!r} of type {type(obj).__name__}: it has no get_config() method")


def _serialize_function(fn: Callable) -> dict:
    if fn.__name__ == "<lambda>":
        from kerasish.layers.core.lambda_layer import _dump_function

        return _dump_function(fn)
    from kerasish import activations

    registered = object_registration.GLOBAL_CUSTOM_NAMES.get(fn)
    if registered is not None:
        return {"module": fn.__module__, "class_name": "function", "config": registered, "registered_name": registered}
    module = "keras.activations" if activations.ALL.get(fn.__name__) is fn else fn.__module__
    return {"module": module, "class_name": "function", "config": fn.__name__, "registered_name": "function"}


def _serialize_class_instance(obj: Any) -> dict:
    from kerasish.layers.input_layer import InputLayer
    from kerasish.models.functional import Functional
    from kerasish.models.sequential import Sequential

    cls = type(obj)
    if isinstance(obj, Functional) and cls is Functional:
        module, registered_name = "keras.src.models.functional", "Functional"
    elif cls is Sequential:
        module, registered_name = "keras", None
    elif _is_builtin(cls):
        module, registered_name = _public_module(cls), None
    else:
        module, registered_name = cls.__module__, object_registration.get_registered_name(cls)
    out = {"module": module, "class_name": cls.__name__, "config": serialize_keras_object(obj.get_config()),
           "registered_name": registered_name}
    if isinstance(obj, Layer) and not isinstance(obj, InputLayer):
        build_config = {"input_shape": None} if isinstance(obj, Functional) else obj.get_build_config()
        if build_config is not None:
            out["build_config"] = build_config
    if getattr(obj, "compiled", False) and getattr(obj, "optimizer", None) is not None:
        from .compile_config import get_compile_config

        out["compile_config"] = get_compile_config(obj)
    return out


def _tensor_config(tensor: KerasTensor, history: list) -> dict:
    return {"class_name": "__keras_tensor__",
            "config": {"shape": list(tensor.shape), "dtype": tensor.dtype, "keras_history": history}}


# ---- deserialization ----------------------------------------------------------------------
class TensorRef:
    """A serialized KerasTensor: which layer call (node) made it, resolved once the layer exists."""

    def __init__(self, layer_name: str, node_index: int, tensor_index: int):
        self.layer_name = layer_name
        self.node_index = node_index
        self.tensor_index = tensor_index


def deserialize_keras_object(config: Any, custom_objects: Optional[dict] = None, safe_mode: Optional[bool] = None,
                             **kwargs) -> Any:
    """Rebuild what `serialize_keras_object` produced (also Keras 2 style {"class_name", "config"} dicts)."""
    safe = in_safe_mode() if safe_mode is None else safe_mode
    with SafeModeScope(safe), object_registration.custom_object_scope(custom_objects):
        return _deserialize(config, custom_objects or {})


def _deserialize(config: Any, custom_objects: dict) -> Any:
    if config is None or isinstance(config, (bool, int, float, str)):
        return config
    if isinstance(config, (list, tuple)):
        return [_deserialize(x, custom_objects) for x in config]
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config!r}")
    if "class_name" not in config or "config" not in config:
        return {key: _deserialize(value, custom_objects) for key, value in config.items()}
    class_name, inner = config["class_name"], config["config"]
    if class_name == "__keras_tensor__":
        return TensorRef(*inner["keras_history"][:3])
    if class_name == "__tuple__":
        return tuple(_deserialize(x, custom_objects) for x in inner["value"])
    if class_name in ("__numpy__", "__tensor__"):
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__lambda__":
        return _load_lambda(config)
    if class_name == "function":
        return resolve_function(config, custom_objects)
    if class_name in _POLICY_CLASSES and config.get("module", "keras") in ("keras", "keras.mixed_precision"):
        return inner["name"] if isinstance(inner, dict) else inner
    return _deserialize_instance(config, custom_objects)


def _load_lambda(config: dict) -> Callable:
    if in_safe_mode():
        raise ValueError(_LAMBDA_REFUSED)
    from kerasish.layers.core.lambda_layer import _load_function

    return _load_function(config)


def resolve_function(config: dict, custom_objects: dict) -> Callable:
    """A function named in a config: custom objects, the registry, or a built-in activation/loss/metric."""
    name = config["config"]
    found = object_registration.get_registered_object(name, custom_objects)
    registered = config.get("registered_name")
    if found is None and registered not in (None, "function"):
        found = object_registration.get_registered_object(registered, custom_objects)
    if found is None:
        found = _builtin_function(config.get("module"), name)
    if found is None:
        raise TypeError(f"Could not locate function '{name}'. Make sure custom classes and functions are decorated "
                        f"with `@keras.saving.register_keras_serializable()`, or pass them in `custom_objects`. "
                        f"Full object config: {config}")
    return found


def _builtin_function(module: Optional[str], name: str) -> Optional[Callable]:
    from kerasish import activations, losses, metrics

    families = {"keras.activations": activations.ALL, "keras.losses": losses.LOSSES.objects,
                "keras.metrics": metrics.METRICS.objects}
    if module in families:
        return families[module].get(name)
    for objects in families.values():
        if callable(objects.get(name)) and not isinstance(objects.get(name), type):
            return objects[name]
    return None


def layer_classes() -> dict:
    """Every kerasish layer and model class by its Keras class name ("Model" means functional)."""
    from kerasish import layers
    from kerasish.models import Functional, Sequential

    found = {name: value for name, value in vars(layers).items() if isinstance(value, type) and issubclass(value, Layer)}
    found.update({"Sequential": Sequential, "Functional": Functional, "Model": Functional})
    return found


def _resolve_class(config: dict, custom_objects: dict):
    """(family, class) for a serialized object; family is a module name for built-in lookups."""
    class_name, registered = config["class_name"], config.get("registered_name")
    for name in (registered, class_name):
        if name:
            found = object_registration.get_registered_object(name, custom_objects)
            if found is not None:
                return None, found
    module = config.get("module")
    if module is None or module.startswith(("keras.layers", "keras.src.layers")) or module in _MODEL_MODULES:
        cls = layer_classes().get(class_name)
        if cls is not None:
            return None, cls
    for family in ("optimizers.schedules", "optimizers", "losses", "metrics", "initializers", "regularizers"):
        if module is not None and module.startswith(f"keras.{family}"):
            return family, None
    raise TypeError(f"Could not locate class '{class_name}'. Make sure custom classes are decorated with "
                    f"`@keras.saving.register_keras_serializable()`, or pass them in `custom_objects`. "
                    f"Full object config: {config}")


def _from_family(family: str, config: dict, custom_objects: dict):
    from kerasish import initializers, losses, metrics, optimizers, regularizers
    from kerasish.optimizers import schedules

    readers = {"optimizers.schedules": lambda: schedules.deserialize(config, custom_objects),
               "optimizers": lambda: optimizers.deserialize(config, custom_objects),
               "losses": lambda: losses.deserialize(config, custom_objects),
               "metrics": lambda: metrics.deserialize(config, custom_objects),
               "initializers": lambda: initializers.get(config), "regularizers": lambda: regularizers.get(config)}
    return readers[family]()


def _contains_lambda(value: Any) -> bool:
    if isinstance(value, dict):
        return value.get("class_name") == "__lambda__" or any(_contains_lambda(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_lambda(v) for v in value)
    return False


def _deserialize_instance(config: dict, custom_objects: dict) -> Any:
    family, cls = _resolve_class(config, custom_objects)
    if family is not None:
        return _from_family(family, config, custom_objects)
    inner = config["config"]
    if in_safe_mode() and _contains_lambda(inner):
        raise ValueError(_LAMBDA_REFUSED)
    if cls.__name__ == "Lambda" and isinstance(inner.get("function"), dict) and inner["function"].get("class_name") == "function":
        inner = {**inner, "function": resolve_function(inner["function"], custom_objects)}
    from_config = getattr(cls, "from_config", None)
    if from_config is None:
        instance = cls(**inner)
    elif "custom_objects" in inspect.signature(from_config).parameters:
        instance = from_config(inner, custom_objects=custom_objects)
    else:
        instance = from_config(inner)
    build_config = config.get("build_config")
    if build_config and isinstance(instance, Layer) and not instance.built:
        instance.build_from_config(build_config)
    if config.get("compile_config"):
        from .compile_config import compile_from_config

        compile_from_config(instance, config["compile_config"], custom_objects)
    return instance


# ---- Sequential ---------------------------------------------------------------------------
def _dtype_policy(dtype: str) -> dict:
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": dtype}, "registered_name": None}


def sequential_config(model) -> dict:
    """Keras 3 Sequential config: name, trainable, dtype, layers (InputLayer first) and build_input_shape."""
    config = {"name": model.name, "trainable": model.trainable, "dtype": _dtype_policy(model.dtype),
              "layers": [serialize_keras_object(layer) for layer in model._layers]}
    if model.built and model._graph is not None:
        config["build_input_shape"] = list(model._layers[0].batch_shape)
    return config


def sequential_from_config(config, custom_objects: Optional[dict] = None):
    """A Sequential from its config (Keras 3 or Keras 2: a plain list of layer configs)."""
    from kerasish.models.sequential import Sequential

    if isinstance(config, list):
        config = {"layers": config}
    with object_registration.custom_object_scope(custom_objects):
        model = Sequential(name=config.get("name"))
        for layer_config in config["layers"]:
            model.add(_deserialize(layer_config, custom_objects or {}))
    build_input_shape = config.get("build_input_shape")
    if not model.built and build_input_shape:
        model.build(tuple(build_input_shape))
    if config.get("trainable") is False:
        model.trainable = False
    return model


# ---- Functional ---------------------------------------------------------------------------
def _model_nodes(model) -> set:
    """Keys (id(layer), node index) of the layer calls that belong to `model`'s graph."""
    keys = {(id(layer), 0) for layer in model._graph.input_layers}
    for node in model._graph.nodes:
        keys.add((id(node.layer), _node_index(node)))
    return keys


def _node_index(node) -> int:
    return next(i for i, n in enumerate(node.layer._inbound_nodes) if n is node)


def functional_config(model) -> dict:
    """Keras 3 Functional config: layers with their "inbound_nodes", "input_layers", "output_layers".

    Node indices are renumbered to count only this model's calls of each layer, as Keras does,
    so a layer shared with another model still loads with indices 0, 1, ...
    """
    own = _model_nodes(model)
    reindex = {}
    for layer in model.layers:
        kept = 0
        for i in range(len(layer._inbound_nodes)):
            if (id(layer), i) in own:
                reindex[(id(layer), i)] = kept
                kept += 1

    def tensor_history(tensor: KerasTensor) -> list:
        layer, node_index, tensor_index = tensor._keras_history
        return [layer.name, reindex[(id(layer), node_index)], tensor_index]

    def serialize_argument(value):
        if isinstance(value, KerasTensor):
            return _tensor_config(value, tensor_history(value))
        if isinstance(value, (list, tuple)):
            return [serialize_argument(v) for v in value]
        if isinstance(value, dict):
            return {k: serialize_argument(v) for k, v in value.items()}
        return serialize_keras_object(value)

    layer_configs = []
    for layer in model.layers:
        nodes = [node for i, node in enumerate(layer._inbound_nodes) if (id(layer), i) in own and node.input_tensors]
        layer_config = serialize_keras_object(layer)
        layer_config["name"] = layer.name
        layer_config["inbound_nodes"] = [{"args": serialize_argument(list(node.call_args)),
                                          "kwargs": serialize_argument(node.call_kwargs)} for node in nodes]
        layer_configs.append(layer_config)

    def structure(tensors):
        if isinstance(tensors, KerasTensor):
            return [tensor_history(tensors)]
        if isinstance(tensors, dict):
            return {k: structure(v) if not isinstance(v, KerasTensor) else tensor_history(v) for k, v in tensors.items()}
        return [tensor_history(t) if isinstance(t, KerasTensor) else structure(t) for t in tensors]

    return {"name": model.name, "trainable": model.trainable, "layers": layer_configs,
            "input_layers": structure(model._graph.inputs), "output_layers": structure(model._graph.outputs)}


class _NodeNotReady(Exception):
    """A node's input comes from a layer call that has not been replayed yet."""


def _output_of(created: dict, layer_name: str, node_index: int, tensor_index: int) -> KerasTensor:
    layer = created.get(layer_name)
    if layer is None:
        raise ValueError(f"the model config refers to an unknown layer '{layer_name}'")
    if node_index >= len(layer._inbound_nodes):
        raise _NodeNotReady(layer_name)
    return layer._inbound_nodes[node_index].outputs[tensor_index]


def _node_arguments(node_data, created: dict):
    """(args, kwargs) of one recorded call, KerasTensor references replaced by the rebuilt tensors."""
    if isinstance(node_data, list):  # Keras 2: [[layer_name, node_index, tensor_index, kwargs], ...]
        tensors = [_output_of(created, *entry[:3]) for entry in node_data]
        kwargs = node_data[0][3] if node_data and len(node_data[0]) > 3 else {}
        return [tensors[0] if len(tensors) == 1 else tensors], dict(kwargs)

    def resolve(value):
        if isinstance(value, TensorRef):
            return _output_of(created, value.layer_name, value.node_index, value.tensor_index)
        if isinstance(value, (list, tuple)):
            return type(value)(resolve(v) for v in value)
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        return value

    args = resolve(_deserialize(node_data.get("args", []), {}))
    kwargs = resolve(_deserialize(node_data.get("kwargs", {}), {}))
    kwargs = {k: v for k, v in kwargs.items() if not (k in ("mask", "training") and v is None)}
    return args, kwargs


def functional_from_config(config: dict, custom_objects: Optional[dict] = None, make_layer: Optional[Callable] = None):
    """A Functional model from its config: layers created in config order, then their calls replayed.

    `make_layer(layer_config)` creates each layer (default: deserialize it); `clone_model` passes
    its own to reuse the config's graph with cloned layers.
    """
    from kerasish.models.functional import Functional

    with object_registration.custom_object_scope(custom_objects):
        make = make_layer or (lambda data: _deserialize(data, custom_objects or {}))
        created, pending = {}, []
        for layer_data in config["layers"]:
            layer = make(layer_data)
            if not isinstance(layer, Layer):
                raise TypeError(f"Unexpected object in the model config's layers: {layer!r}")
            created[layer_data.get("name", layer.name)] = layer
            pending.append((layer, list(layer_data.get("inbound_nodes", []))))
        while any(nodes for _, nodes in pending):
            progressed = False
            for layer, nodes in pending:
                while nodes:
                    try:
                        args, kwargs = _node_arguments(nodes[0], created)
                    except _NodeNotReady:
                        break
                    layer(*args, **kwargs)
                    nodes.pop(0)
                    progressed = True
            if not progressed:
                waiting = [layer.name for layer, nodes in pending if nodes]
                raise ValueError(f"Cannot rebuild the model from its config: the calls of layers {waiting} depend on "
                                 "layer calls that never happen (invalid config data?)")

    def tensors(structure):
        if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str):
            return _output_of(created, *structure)
        if isinstance(structure, dict):
            return {k: tensors(v) for k, v in structure.items()}
        return [tensors(v) for v in structure]

    inputs, outputs = tensors(config["input_layers"]), tensors(config["output_layers"])
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    if isinstance(outputs, list) and len(outputs) == 1:
        outputs = outputs[0]
    model = Functional(inputs, outputs, name=config.get("name"))
    if config.get("trainable") is False:
        model.trainable = False
    return model


__all__ = [
    "SafeModeScope",
    "TensorRef",
    "deserialize_keras_object",
    "functional_config",
    "functional_from_config",
    "in_safe_mode",
    "layer_classes",
    "resolve_function",
    "sequential_config",
    "sequential_from_config",
    "serialize_keras_object",
]
