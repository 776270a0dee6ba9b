"""Multiply: the product of a list of inputs (broadcasting)."""
from __future__ import annotations

from kerasish import ops

from .base_merge import Merge


class Multiply(Merge):
    binary = ops.multiply
