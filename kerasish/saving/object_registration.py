"""Registry of user classes and functions for (de)serialization, and custom-object scopes.

`@register_keras_serializable(package="Custom")` records a class under "Custom>ClassName";
configs name it in "registered_name". Custom objects passed to loaders (or set with
`custom_object_scope`) are visible to every lookup made while loading, including the
loss and metric lookups of a compile config.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Optional

from kerasish.losses.lookup import _scope
from kerasish.losses.lookup import custom_object_scope as _lookup_scope

GLOBAL_CUSTOM_OBJECTS: dict = {}
GLOBAL_CUSTOM_NAMES: dict = {}


def register_keras_serializable(package: str = "Custom", name: Optional[str] = None):
    """Decorator: make a class or function loadable by name ("package>name")."""

    def decorator(obj):
        serializable_name = name if name is not None else obj.__name__
        registered_name = f"{package}>{serializable_name}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


def get_registered_name(obj) -> str:
    """"package>name" for a registered object, else its __name__."""
    return GLOBAL_CUSTOM_NAMES.get(obj, getattr(obj, "__name__", None))


def get_registered_object(name: str, custom_objects: Optional[dict] = None, module_objects: Optional[dict] = None) -> Any:
    """The object called `name` in the active scope, `custom_objects`, the registry or `module_objects`."""
    for source in (_scope.custom_objects, custom_objects or {}, GLOBAL_CUSTOM_OBJECTS, module_objects or {}):
        if name in source:
            return source[name]
    return None


def get_custom_objects() -> dict:
    """The live dict of globally registered objects (Keras' `get_custom_objects`)."""
    return GLOBAL_CUSTOM_OBJECTS


@contextlib.contextmanager
def custom_object_scope(custom_objects: Optional[dict] = None) -> Iterator[None]:
    """Within the block, `custom_objects` (and the registry) resolve by name in every lookup."""
    with _lookup_scope({**GLOBAL_CUSTOM_OBJECTS, **(custom_objects or {})}):
        yield


CustomObjectScope = custom_object_scope
