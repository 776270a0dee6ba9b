"""Dot: batchwise dot product of two inputs of rank 2 or 3 over `axes` (optionally cosine-normalised)."""
from __future__ import annotations

from kerasish import ops
from kerasish.backend.ops.nn import l2_normalize

from .base_merge import Merge


class Dot(Merge):
    min_inputs = max_inputs = 2

    def __init__(self, axes, normalize: bool = False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, int):
            axes = (axes, axes)
        if len(axes) != 2 or not all(isinstance(a, int) for a in axes):
            raise ValueError(f"Dot: `axes` must be an int or a pair of ints, got {axes!r}")
        self.axes = tuple(axes)
        self.normalize = normalize
        self.supports_masking = False

    def _resolved_axes(self, shapes) -> tuple:
        """Positive contraction axes; checks ranks (2 or 3) and that the contracted sizes match."""
        if any(len(s) not in (2, 3) for s in shapes):
            raise ValueError(f"layer '{self.name}' (Dot) supports inputs of rank 2 or 3, got shapes {[tuple(s) for s in shapes]}")
        axes = tuple(a % len(s) for a, s in zip(self.axes, shapes))
        if 0 in axes:
            raise ValueError(f"layer '{self.name}' (Dot) cannot contract the batch axis, got axes {self.axes}")
        sizes = [s[a] for s, a in zip(shapes, axes)]
        if None not in sizes and sizes[0] != sizes[1]:
            raise ValueError(f"layer '{self.name}' (Dot axes={self.axes}): dimension mismatch {sizes[0]} != {sizes[1]} "
                             f"for input shapes {[tuple(s) for s in shapes]}")
        return axes

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self._resolved_axes(input_shape)
        self.built = True

    def _merge_function(self, inputs: list):
        x, y = inputs
        ax, ay = self._resolved_axes([tuple(x.shape), tuple(y.shape)])
        if self.normalize:
            x, y = l2_normalize(x, axis=ax), l2_normalize(y, axis=ay)
        # As batched matrices: x (batch, m, k) with k contracted, y (batch, k, n).
        x = ops.expand_dims(x, axis=1) if len(x.shape) == 2 else (x if ax == 2 else ops.transpose(x, (0, 2, 1)))
        y = ops.expand_dims(y, axis=2) if len(y.shape) == 2 else (y if ay == 1 else ops.transpose(y, (0, 2, 1)))
        out = ops.matmul(x, y)
        keep = [i for i, rank in ((1, len(inputs[0].shape)), (2, len(inputs[1].shape))) if rank == 3]
        return ops.reshape(out, (-1,) + tuple(out.shape[i] for i in keep)) if keep else ops.reshape(out, (-1, 1))

    def compute_output_shape(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        axes = self._resolved_axes(shapes)
        rest = [d for s, a in zip(shapes, axes) for i, d in enumerate(s) if i not in (0, a)]
        return (shapes[0][0],) + (tuple(rest) if rest else (1,))

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}
