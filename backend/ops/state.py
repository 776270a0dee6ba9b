"""Stateful ops that write variables in place; the compiler runs them after all pure ops."""
from __future__ import annotations

import numpy as np

from ..graph import TensorSpec, get_default_graph
from ..registry import ShapeError, define_op


def _assign_infer(var, value):
    if tuple(value.shape) != tuple(var.shape) and None not in value.shape:
        try:
            np.broadcast_shapes(tuple(value.shape), tuple(var.shape))
        except ValueError:
            raise ShapeError(f"cannot assign a value of shape {value.shape} to a variable of shape {var.shape}") from None
    return TensorSpec(var.shape, var.dtype)


assign_op = define_op("assign", _assign_infer, stateful=True, differentiable=False)
assign_add_op = define_op("assign_add", _assign_infer, stateful=True, differentiable=False)
assign_sub_op = define_op("assign_sub", _assign_infer, stateful=True, differentiable=False)


def _var(variable):
    return get_default_graph().variable_tensor(variable) if getattr(variable, "_is_variable", False) else variable


def assign(variable, value, name=None):
    return assign_op(_var(variable), value, name=name)


def assign_add(variable, value, name=None):
    return assign_add_op(_var(variable), value, name=name)


def assign_sub(variable, value, name=None):
    return assign_sub_op(_var(variable), value, name=name)


def initialize(variable):
    """The op that resets `variable` to its initial value."""
    return assign(variable, np.array(variable._initial), name="init")
