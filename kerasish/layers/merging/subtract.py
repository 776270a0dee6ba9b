"""Subtract: inputs[0] - inputs[1] (exactly two inputs)."""
from __future__ import annotations

from kerasish import ops

from .base_merge import Merge


class Subtract(Merge):
    binary = ops.subtract
    min_inputs = max_inputs = 2
