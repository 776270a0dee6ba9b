"""Keras layers: each class in its own module, re-exported here under its Keras name."""
import importlib
import pkgutil

from .input_layer import Input, InputLayer
from .input_spec import InputSpec
from .layer import Layer


def _export_layers():
    """Import every layer module below this package and export its public Layer classes."""
    names = {}
    for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Layer) and not name.startswith("_") and value.__module__ == module.__name__:
                names[name] = value
    return names


globals().update(_export_layers())
