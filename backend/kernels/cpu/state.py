"""In-place variable writes: the variable's array is the first input and is mutated."""
import numpy as np

from .table import register


@register("assign")
def assign(var, value):
    np.copyto(var, value, casting="same_kind")
    return var


@register("assign_add")
def assign_add(var, value):
    np.add(var, value, out=var, casting="same_kind")
    return var


@register("assign_sub")
def assign_sub(var, value):
    np.subtract(var, value, out=var, casting="same_kind")
    return var
