"""`keras.optimizers`: Keras 3 optimizers, looked up by name, config dict or instance."""
from typing import Optional

from . import schedules
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .nadam import Nadam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

ALL_OBJECTS = (SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW, Adamax, Nadam)
ALL_OBJECTS_DICT = {**{cls.__name__: cls for cls in ALL_OBJECTS}, **{cls.__name__.lower(): cls for cls in ALL_OBJECTS}}


def serialize(optimizer: Optimizer) -> dict:
    """{"module": "keras.optimizers", "class_name", "config", "registered_name"} as Keras 3 writes it."""
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__, "config": optimizer.get_config(),
            "registered_name": None}


def deserialize(config: dict, custom_objects: Optional[dict] = None) -> Optimizer:
    """An optimizer from its serialized dict (class names are matched case-insensitively)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret serialized optimizer: {config!r}")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name) or ALL_OBJECTS_DICT.get(str(name).lower())
    if cls is None:
        valid = sorted(cls.__name__.lower() for cls in ALL_OBJECTS)
        raise ValueError(f"Unknown optimizer: '{name}'. Valid names are: {valid}")
    return cls.from_config(config.get("config", {}), custom_objects)


def get(identifier) -> Optional[Optimizer]:
    """An optimizer from a name ("adam"), a config dict or an instance (returned as is)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


__all__ = ["Optimizer", "SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "Adamax", "Nadam", "schedules",
           "get", "serialize", "deserialize"]
