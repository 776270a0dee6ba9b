"""`compile(fetches, feeds)`: a graph becomes a reusable function backed by execution plans.

Passes, in order: extract the needed nodes (dead-op elimination at graph level), infer
concrete shapes for the feeds' shapes, fold constants, merge common subexpressions,
drop dead nodes, fuse elementwise chains, schedule updates last, plan buffers by
liveness. One Plan is cached per feed signature (e.g. a partial last batch gets its own).
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from ..device import Device, get_device
from ..errors import FeedError
from ..graph import Tensor, TensorSpec
from . import passes
from .program import extract


class Function:
    """Fetches of a graph as a function of its feeds: `fn(*feed_arrays) -> list of arrays`."""

    def __init__(self, fetches: Sequence[Tensor], feeds: Sequence[Tensor] = (), targets: Sequence = (),
                 device: Optional[Device] = None, optimize: bool = True):
        self.fetches = list(fetches)
        self.feeds = list(feeds)
        self.targets = list(targets)
        self.device = device
        self.optimize = optimize
        self.plans: dict = {}

    def __call__(self, *feed_values) -> list:
        arrays = [self._check_feed(t, v) for t, v in zip(self.feeds, feed_values)]
        key = tuple((a.shape, a.dtype.str) for a in arrays)
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = self.build_plan([TensorSpec(a.shape, a.dtype) for a in arrays])
        return plan.run(arrays)

    def build_plan(self, feed_specs: Sequence[TensorSpec]):
        from ..executor import Plan

        device = self.device or get_device()
        program = extract(self.fetches, self.targets, self.feeds)
        passes.infer_shapes(program, feed_specs)
        if self.optimize:
            passes.fold_constants(program, device)
            passes.eliminate_common_subexpressions(program)
            passes.eliminate_dead(program)
            passes.fuse_elementwise(program, device)
        else:
            passes.fold_constants(program, device)
        passes.schedule(program)
        return Plan(program, device)

    def _check_feed(self, tensor: Tensor, value) -> np.ndarray:
        device = self.device or get_device()
        array = value.value if getattr(value, "_is_variable", False) else value
        if not isinstance(array, device.xp.ndarray):
            array = np.asarray(array)
        if array.dtype != tensor.dtype:
            if not np.can_cast(array.dtype, tensor.dtype, casting="same_kind") and not (
                    np.issubdtype(array.dtype, np.integer) and np.issubdtype(tensor.dtype, np.number)):
                raise FeedError(f"cannot feed a value of dtype {array.dtype.name} to '{tensor.name}' of dtype {tensor.dtype.name}")
            array = array.astype(tensor.dtype)
        any_shape = tensor.node.op == "placeholder" and tensor.node.attrs["shape"] is None
        mismatch = len(array.shape) != len(tensor.shape) or any(d is not None and d != a for d, a in zip(tensor.shape, array.shape))
        if mismatch and not any_shape:
            raise FeedError(f"cannot feed a value of shape {array.shape} to '{tensor.name}', which has shape {tensor.shape}")
        return device.asarray(array)

    def plan_text(self) -> str:
        return "\n\n".join(plan.to_text() for plan in self.plans.values())


def compile(fetches, feeds=(), targets=(), device: Optional[Device] = None, optimize: bool = True) -> Function:  # noqa: A001
    """Compile `fetches` (and the update `targets`) of a graph into a reusable Function."""
    return Function(fetches, feeds, targets, device, optimize)
