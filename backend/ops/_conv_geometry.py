"""Window geometry shared by conv/pool shape inference and their kernels (pure Python).

TF/Keras conventions: 'valid' uses no padding; 'same' gives out = ceil(in / stride) and
pads max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0) in total, the odd extra
element going after (bottom/right). Explicit padding is ((top, bottom), (left, right)).
"""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

from ..registry import ShapeError


def pair(value, name: str) -> Tuple[int, int]:
    """An int or a 2-sequence of ints as a pair of positive ints."""
    values = (value, value) if isinstance(value, int) else tuple(value)
    if len(values) != 2 or not all(isinstance(v, int) and v > 0 for v in values):
        raise ShapeError(f"{name} must be a positive int or a pair of positive ints, got {value!r}")
    return values


def check_padding(padding) -> None:
    """Raise a ShapeError unless `padding` is 'valid', 'same' or ((top, bottom), (left, right))."""
    if isinstance(padding, str):
        if padding.lower() not in ("valid", "same"):
            raise ShapeError(f"padding must be 'valid', 'same' or ((top, bottom), (left, right)), got {padding!r}")
        return
    try:
        ok = len(padding) == 2 and all(len(p) == 2 and all(isinstance(v, int) and v >= 0 for v in p) for p in padding)
    except TypeError:
        ok = False
    if not ok:
        raise ShapeError(f"explicit padding must be ((top, bottom), (left, right)) of non-negative ints, got {padding!r}")


def window_1d(size: Optional[int], k: int, stride: int, dilation: int, padding, axis: int) -> Tuple[Optional[int], int, int]:
    """(output size, pad before, pad after) along one spatial axis; None sizes stay None."""
    span = (k - 1) * dilation + 1
    if size is None:
        return None, 0, 0
    if isinstance(padding, str):
        if padding.lower() == "same":
            out = -(-size // stride)
            total = max((out - 1) * stride + span - size, 0)
            return out, total // 2, total - total // 2
        before = after = 0
    else:
        before, after = padding[axis]
    out = (size + before + after - span) // stride + 1
    if out <= 0:
        raise ShapeError(f"window of size {span} (kernel {k}, dilation {dilation}) does not fit "
                         f"an input of size {size} padded by ({before}, {after})")
    return out, before, after


def window_2d(hw: Sequence[Optional[int]], kernel: Sequence[int], strides, dilation, padding):
    """((out_h, out_w), ((top, bottom), (left, right))) for a 2-D window op."""
    strides, dilation = pair(strides, "strides"), pair(dilation, "dilation")
    check_padding(padding)
    rows = window_1d(hw[0], kernel[0], strides[0], dilation[0], padding, 0)
    cols = window_1d(hw[1], kernel[1], strides[1], dilation[1], padding, 1)
    return (rows[0], cols[0]), (rows[1:], cols[1:])
