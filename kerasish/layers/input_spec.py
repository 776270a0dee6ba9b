"""InputSpec: what a built layer accepts, checked on every call so errors name the layer."""
from __future__ import annotations

from typing import Optional


class InputSpec:
    """Rank and fixed axis sizes a layer expects (Keras' InputSpec)."""

    def __init__(self, dtype=None, shape=None, ndim: Optional[int] = None, max_ndim: Optional[int] = None,
                 min_ndim: Optional[int] = None, axes: Optional[dict] = None, allow_last_axis_squeeze: bool = False, name=None):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})
        self.name = name


def check_input(layer_name: str, specs, inputs) -> None:
    """Raise a ValueError naming the layer and both shapes when `inputs` do not fit `specs`."""
    if specs is None:
        return
    specs = specs if isinstance(specs, (list, tuple)) else [specs]
    inputs = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    for i, (spec, x) in enumerate(zip(specs, inputs)):
        if spec is None or not hasattr(x, "shape"):
            continue
        shape = tuple(x.shape)
        prefix = f"Input {i} of layer '{layer_name}' is incompatible with the layer:"
        if spec.ndim is not None and len(shape) != spec.ndim:
            raise ValueError(f"{prefix} expected ndim={spec.ndim}, found ndim={len(shape)}. Full shape received: {_fmt(shape)}")
        if spec.min_ndim is not None and len(shape) < spec.min_ndim:
            raise ValueError(f"{prefix} expected min_ndim={spec.min_ndim}, found ndim={len(shape)}. Full shape received: {_fmt(shape)}")
        if spec.max_ndim is not None and len(shape) > spec.max_ndim:
            raise ValueError(f"{prefix} expected max_ndim={spec.max_ndim}, found ndim={len(shape)}. Full shape received: {_fmt(shape)}")
        for axis, size in spec.axes.items():
            if size is not None and -len(shape) <= axis < len(shape) and shape[axis] not in (None, size):
                raise ValueError(f"{prefix} expected axis {axis} of input shape to have value {size}, "
                                 f"but received input with shape {_fmt(shape)}")
        if spec.shape is not None:
            for expected, got in zip(spec.shape, shape):
                if expected is not None and got is not None and expected != got:
                    raise ValueError(f"{prefix} expected shape={_fmt(spec.shape)}, found shape={_fmt(shape)}")


def _fmt(shape) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
