"""Minimum: the elementwise minimum of a list of inputs (broadcasting)."""
from __future__ import annotations

from kerasish import ops

from .base_merge import Merge


class Minimum(Merge):
    binary = ops.minimum
