"""Activations by Keras name; each maps tensors to tensors through `keras.ops`."""
from __future__ import annotations

from typing import Callable

from kerasish.ops import nn


def linear(x):
    return x


def softmax(x, axis: int = -1):
    return nn.softmax(x, axis=axis)


def gelu(x, approximate: bool = False):
    """Keras 3's activation default is the exact (erf) form."""
    return nn.gelu(x, approximate=approximate)


def leaky_relu(x, negative_slope: float = 0.2):
    return nn.leaky_relu(x, negative_slope)


def elu(x, alpha: float = 1.0):
    return nn.elu(x, alpha)


relu, relu6, sigmoid, tanh, softplus, softsign, selu = nn.relu, nn.relu6, nn.sigmoid, nn.tanh, nn.softplus, nn.softsign, nn.selu
silu = swish = nn.silu
hard_sigmoid, hard_silu, exponential, log_softmax = nn.hard_sigmoid, nn.hard_silu, nn.exponential, nn.log_softmax

ALL = {
    "linear": linear, "relu": relu, "relu6": relu6, "sigmoid": sigmoid, "tanh": tanh, "softmax": softmax,
    "log_softmax": log_softmax, "softplus": softplus, "softsign": softsign, "selu": selu, "elu": elu,
    "gelu": gelu, "silu": silu, "swish": swish, "leaky_relu": leaky_relu, "hard_sigmoid": hard_sigmoid,
    "hard_silu": hard_silu, "hard_swish": hard_silu, "exponential": exponential,
}


def get(identifier) -> Callable:
    """An activation function from a name, a callable or None (linear)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in ALL:
            raise ValueError(f"unknown activation '{identifier}'; valid names: {sorted(ALL)}")
        return ALL[identifier]
    if isinstance(identifier, dict):
        return get(identifier.get("config", identifier.get("class_name")))
    if callable(identifier):
        return identifier
    raise ValueError(f"cannot interpret {identifier!r} as an activation")


def serialize(activation: Callable) -> str:
    for name, fn in ALL.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", str(activation))
