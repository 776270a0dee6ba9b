"""Neural-network `keras.ops`: activations, softmax, convolutions, pooling, losses."""
from __future__ import annotations

from kerasish.backend.ops import math as M
from kerasish.backend.ops import nn as N

relu, relu6, sigmoid, tanh, softplus, softsign, selu = M.relu, M.relu6, M.sigmoid, M.tanh, M.softplus, M.softsign, M.selu
one_hot = N.one_hot


def elu(x, alpha: float = 1.0):
    return M.elu(x, alpha=float(alpha))


def leaky_relu(x, negative_slope: float = 0.2):
    return M.leaky_relu(x, alpha=float(negative_slope))


def gelu(x, approximate: bool = True):
    return M.gelu(x, approximate=bool(approximate))


def silu(x):
    return M.multiply(x, M.sigmoid(x))


swish = silu


def hard_sigmoid(x):
    return M.clip(M.add(M.multiply(x, 1.0 / 6.0), 0.5), min=0.0, max=1.0)


def hard_silu(x):
    return M.multiply(x, hard_sigmoid(x))


def exponential(x):
    return M.exp(x)


def softmax(x, axis: int = -1):
    return N.softmax(x, axis=axis)


def log_softmax(x, axis: int = -1):
    return N.log_softmax(x, axis=axis)
