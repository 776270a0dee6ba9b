"""Argument normalisation shared by layers: int-or-tuple sizes, data_format, padding, build-time rank checks."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Optional, Sequence

from .input_spec import check_input


def normalize_tuple(value, n: int, name: str, layer: str, allow_zero: bool = False) -> tuple:
    """An int or an n-sequence of ints as an n-tuple of positive (or, with allow_zero, non-negative) ints."""
    values = (value,) * n if isinstance(value, int) else tuple(value)
    low = 0 if allow_zero else 1
    if len(values) != n or not all(isinstance(v, int) and v >= low for v in values):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{layer}: `{name}` must be a {kind} int or a tuple of {n} {kind} ints, got {value!r}")
    return values


def normalize_data_format(value: Optional[str], layer: str) -> str:
    """'channels_last' (the only layout supported); 'channels_first' is rejected with a clear error."""
    data_format = (value or "channels_last").lower()
    if data_format == "channels_first":
        raise ValueError(f"{layer}: data_format='channels_first' is not supported; kerasish layers are channels_last "
                         f"(NHWC) only, transpose the inputs instead")
    if data_format != "channels_last":
        raise ValueError(f"{layer}: `data_format` must be 'channels_last' or 'channels_first', got {value!r}")
    return data_format


def normalize_padding(value: str, layer: str, allowed: Sequence[str] = ("valid", "same")) -> str:
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(f"{layer}: `padding` must be one of {list(allowed)}, got {value!r}")
    return padding


def check_build_shape(layer, input_shape) -> None:
    """Check `input_shape` against `layer.input_spec` before weights are made from it (same errors as a call)."""
    check_input(layer.name, layer.input_spec, SimpleNamespace(shape=tuple(input_shape)))


def normalize_pairs(value, name: str, layer: str) -> tuple:
    """2-D padding/cropping: int, (symmetric_h, symmetric_w) or ((top, bottom), (left, right)) as pairs."""
    if isinstance(value, int):
        value = (value, value)
    if len(value) == 2 and all(isinstance(v, int) for v in value):
        value = ((value[0], value[0]), (value[1], value[1]))
    if len(value) != 2:
        raise ValueError(f"{layer}: `{name}` must be an int, a tuple of 2 ints or a tuple of 2 tuples of 2 ints, "
                         f"got {value!r}")
    return tuple(normalize_tuple(pair, 2, name, layer, allow_zero=True) for pair in value)
