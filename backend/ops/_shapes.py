"""Shape-inference helpers shared by op definitions."""
from __future__ import annotations

from typing import Optional, Sequence

from ..graph import TensorSpec
from ..registry import ShapeError


def broadcast(*shapes: Sequence[Optional[int]]) -> tuple:
    """NumPy broadcasting of static shapes; None (unknown) broadcasts like a free size."""
    rank = max(len(s) for s in shapes)
    out = []
    for axis in range(rank):
        dims = [s[axis - rank + len(s)] for s in shapes if axis - rank + len(s) >= 0]
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            raise ShapeError(f"shapes {' and '.join(str(tuple(s)) for s in shapes)} cannot be broadcast")
        if known:
            out.append(known.pop())
        elif None in dims:
            out.append(None)
        else:
            out.append(1)
    return tuple(out)


def norm_axes(axis, rank: int) -> tuple:
    """Axis attribute (None, int or sequence) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(rank))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    result = []
    for a in axes:
        if not -rank <= a < max(rank, 1):
            raise ShapeError(f"axis {a} is out of range for rank {rank}")
        result.append(a % rank if rank else 0)
    return tuple(sorted(set(result)))


def reduced(shape: Sequence, axis, keepdims: bool) -> tuple:
    axes = norm_axes(axis, len(shape))
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def same(x: TensorSpec, **_) -> TensorSpec:
    return TensorSpec(x.shape, x.dtype)


def dims_match(a: Optional[int], b: Optional[int]) -> bool:
    return a is None or b is None or a == b
