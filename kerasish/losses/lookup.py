"""Name lookup and Keras 3 style (de)serialisation for a family of objects (losses, metrics).

`get` accepts a name, a function, a config dict or an instance; a class is instantiated with
its defaults. Serialised form: {"module", "class_name", "config", "registered_name"}, with
class_name "function" and the function's name as config for plain functions.
"""
from __future__ import annotations

import contextlib
import inspect
import threading
from typing import Any, Callable, Iterator, Optional


class _Scope(threading.local):
    def __init__(self):
        self.custom_objects: dict = {}


_scope = _Scope()


@contextlib.contextmanager
def custom_object_scope(custom_objects: Optional[dict]) -> Iterator[None]:
    """User objects visible to every lookup inside, also to nested from_config calls."""
    saved = _scope.custom_objects
    _scope.custom_objects = {**saved, **(custom_objects or {})}
    try:
        yield
    finally:
        _scope.custom_objects = saved


class ObjectLookup:
    """The named objects of one family (`kind` is "loss" or "metric", `module` e.g. "keras.losses")."""

    def __init__(self, kind: str, module: str, objects: dict):
        self.kind = kind
        self.module = module
        self.objects = dict(objects)

    def find(self, name: str) -> Any:
        obj = _scope.custom_objects.get(name, self.objects.get(name))
        if obj is None:
            raise ValueError(f"Unknown {self.kind} '{name}'. Valid names are: {', '.join(sorted(self.objects))}")
        return obj

    def get(self, identifier: Any) -> Optional[Callable]:
        if identifier is None:
            return None
        if isinstance(identifier, dict):
            obj = self.deserialize(identifier)
        elif isinstance(identifier, str):
            obj = self.find(identifier)
        else:
            obj = identifier
        if inspect.isclass(obj):
            obj = obj()
        if not callable(obj):
            raise ValueError(f"Could not interpret {self.kind} identifier: {identifier!r}")
        return obj

    def serialize(self, obj: Any) -> dict:
        if inspect.isfunction(obj):
            return {"module": self.module if self.objects.get(obj.__name__) is obj else obj.__module__,
                    "class_name": "function", "config": obj.__name__, "registered_name": "function"}
        if not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot serialize {self.kind} {obj!r}: it is neither a function nor has get_config()")
        cls = type(obj)
        builtin = self.objects.get(cls.__name__) is cls
        return {"module": self.module if builtin else cls.__module__, "class_name": cls.__name__,
                "config": obj.get_config(), "registered_name": None if builtin else cls.__name__}

    def deserialize(self, config: Any, custom_objects: Optional[dict] = None) -> Any:
        with custom_object_scope(custom_objects):
            if isinstance(config, str):
                return self.find(config)
            if not isinstance(config, dict) or "class_name" not in config:
                raise ValueError(f"Cannot deserialize {self.kind} from {config!r}: expected a name or a dict with 'class_name'")
            if config["class_name"] == "function":
                return self.find(config["config"])
            cls = self.find(config.get("registered_name") or config["class_name"])
            return cls.from_config(config.get("config") or {})
