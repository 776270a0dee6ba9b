"""Helpers for layers that own other layers (RNN cells, wrappers): building, weight paths, (de)serialisation."""
from __future__ import annotations

from kerasish.layers.layer import Layer


def build_sublayer(layer: Layer, input_shape: tuple, owner: Layer) -> None:
    """Build `layer` on `input_shape` now and prefix its weight paths with the owner's name
    ("lstm_cell/kernel" -> "lstm/lstm_cell/kernel"), as Keras 3 names nested variables."""
    if not layer.built:
        layer._build_shapes = tuple(input_shape)
        layer.build(tuple(input_shape))
        layer.built = True
    for weight in layer.weights:
        weight.path = f"{owner.name}/{weight.path}"


def serialize_layer(layer: Layer) -> dict:
    """Keras' `serialize_keras_object` form of a layer."""
    return {"module": "keras.layers", "class_name": type(layer).__name__, "config": layer.get_config(),
            "registered_name": None}


def deserialize_layer(config) -> Layer:
    """A layer from `serialize_layer` output (a Layer instance passes through)."""
    if isinstance(config, Layer):
        return config
    from kerasish import layers

    cls = getattr(layers, config["class_name"], None)
    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        raise ValueError(f"unknown layer class '{config['class_name']}'")
    return cls.from_config(config["config"])
