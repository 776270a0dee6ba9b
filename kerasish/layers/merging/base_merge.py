"""Merge: base of the layers that combine a list of inputs elementwise (with broadcasting).

Subclasses set `binary` (an elementwise op folded across the inputs) or override `_merge_function`;
masks of the inputs are combined with logical_and.
"""
from __future__ import annotations

from functools import reduce
from typing import Callable, Optional

from kerasish import ops
from kerasish.layers.layer import Layer


class Merge(Layer):
    binary: Optional[Callable] = None
    min_inputs = 1
    max_inputs = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check_inputs(self, shapes) -> None:
        layer = f"layer '{self.name}' ({type(self).__name__})"
        if not isinstance(shapes, (list, tuple)) or not shapes or not isinstance(shapes[0], (list, tuple)):
            raise ValueError(f"{layer} must be called on a list of inputs, got input shape {shapes}")
        if len(shapes) < self.min_inputs or (self.max_inputs is not None and len(shapes) > self.max_inputs):
            bound = self.min_inputs if self.max_inputs == self.min_inputs else f"at least {self.min_inputs}"
            raise ValueError(f"{layer} must be called on {bound} inputs, got {len(shapes)} with shapes {list(shapes)}")

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self._broadcast_shape(input_shape)
        self.built = True

    def _broadcast_shape(self, shapes) -> tuple:
        """The output shape of an elementwise merge; raises naming every input shape when they do not broadcast."""
        rank = max(len(s) for s in shapes)
        out = []
        for dims in zip(*[(1,) * (rank - len(s)) + tuple(s) for s in shapes]):
            known = {d for d in dims if d is not None and d != 1}
            if len(known) > 1:
                raise ValueError(f"layer '{self.name}' ({type(self).__name__}) got inputs of incompatible shapes "
                                 f"{[tuple(s) for s in shapes]}")
            out.append(known.pop() if known else (None if None in dims else 1))
        return tuple(out)

    def _merge_function(self, inputs: list):
        return reduce(type(self).binary, inputs)

    def call(self, inputs):
        self._check_inputs([tuple(x.shape) for x in inputs])
        return self._merge_function(list(inputs))

    def compute_output_shape(self, input_shape):
        return self._broadcast_shape(input_shape)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(f"layer '{self.name}': `mask` must be a list with one entry per input, got {mask!r}")
        masks = [m for m in mask if m is not None]
        return reduce(ops.logical_and, masks) if masks else None

