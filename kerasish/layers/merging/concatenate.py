"""Concatenate: joins a list of inputs along `axis` (all other axes must match)."""
from __future__ import annotations

from functools import reduce

from kerasish import ops

from .base_merge import Merge


class Concatenate(Merge):
    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _concat_shape(self, shapes) -> tuple:
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes) or not -rank <= self.axis < rank:
            raise ValueError(f"layer '{self.name}' (Concatenate axis={self.axis}) needs inputs of one rank that have "
                             f"that axis, got shapes {[tuple(s) for s in shapes]}")
        axis = self.axis % rank
        out = []
        for i, dims in enumerate(zip(*shapes)):
            if i == axis:
                out.append(None if None in dims else sum(dims))
                continue
            known = {d for d in dims if d is not None}
            if len(known) > 1:
                raise ValueError(f"layer '{self.name}' (Concatenate axis={self.axis}) needs inputs that match on every "
                                 f"axis but the concatenation axis, got shapes {[tuple(s) for s in shapes]}")
            out.append(known.pop() if known else None)
        return tuple(out)

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self._concat_shape(input_shape)
        self.built = True

    def _merge_function(self, inputs: list):
        return ops.concatenate(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        return self._concat_shape(input_shape)

    def compute_mask(self, inputs, mask=None):
        """Masks over the leading axes: joined along `axis` when it is one of them, else combined with logical_and."""
        if mask is None or all(m is None for m in mask):
            return None
        mask_rank = next(len(m.shape) for m in mask if m is not None)
        axis = self.axis % len(inputs[0].shape)
        if axis >= mask_rank:
            return reduce(ops.logical_and, [m for m in mask if m is not None])
        full = [ops.greater_equal(ops.sum(ops.zeros_like(x), axis=tuple(range(mask_rank, len(x.shape)))), 0.0)
                if m is None else m for x, m in zip(inputs, mask)]
        return ops.concatenate(full, axis=axis)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
