"""Average: the elementwise mean of a list of inputs."""
from __future__ import annotations

from kerasish import ops

from .base_merge import Merge


class Average(Merge):
    binary = ops.add

    def _merge_function(self, inputs: list):
        return ops.divide(super()._merge_function(inputs), float(len(inputs)))
