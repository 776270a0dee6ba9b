"""The execution plan: a flat list of kernel calls over slots and preallocated buffers.

Nothing in `Plan.run` walks the graph, looks up names or allocates for buffered outputs:
it binds feeds and variables into a slot list and calls the kernels in order.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .compiler.memory import plan_buffers
from .compiler.passes import make_fused_kernel
from .device import Device
from .registry import OPS


class Plan:
    """Compiled steps for one set of concrete feed shapes."""

    def __init__(self, program, device: Device):
        self.device = device
        memory = plan_buffers(program, device.kernels.out_capable)
        self.stats = dict(program.stats)
        self.buffers = [device.xp.empty(shape, dtype) for shape, dtype in memory["shapes"]]
        self.stats["buffer_bytes"] = int(sum(b.nbytes for b in self.buffers))

        slot_of: dict = {}

        def slot(value) -> int:
            if value.id not in slot_of:
                slot_of[value.id] = len(slot_of)
            return slot_of[value.id]

        self.feed_slots = [slot(v) for v in program.feeds]
        constants, self.var_slots = [], []
        for node in program.nodes:
            for v in node.inputs:
                if v.const is not None:
                    constants.append((slot(v), v.const))
        for v in program.fetches:
            if v.const is not None:
                constants.append((slot(v), v.const))

        self.steps, self.lines = [], []
        keep = {v.id for v in program.fetches}
        last_use = memory["last_use"]
        for i, node in enumerate(program.nodes):
            if node.op == "variable":
                self.var_slots.append((slot(node.outputs[0]), node.attrs["var"]))
                continue
            ins = tuple(slot(v) for v in node.inputs)
            outs = tuple(slot(v) for v in node.outputs)
            kwargs, fn = self._kernel(node)
            buffer = memory["assignment"].get(node.outputs[0].id) if len(node.outputs) == 1 else None
            if buffer is not None:
                kwargs["out"] = self.buffers[buffer]
            frees = tuple(slot_of[v.id] for v in node.inputs
                          if last_use.get(v.id) == i and v.id not in keep and v.const is None and v.variable is None)
            self.steps.append((fn, ins, outs[0] if len(outs) == 1 else outs, kwargs, frees))
            self.lines.append(self._describe(node, buffer))
        self.template = [None] * len(slot_of)
        for s, array in constants:
            self.template[s] = array
        self.fetch_slots = [slot(v) for v in program.fetches]

    def _kernel(self, node):
        if node.op == "fused":
            return {}, make_fused_kernel(node.attrs["chain"], self.device)
        fn = self.device.kernel(node.op)
        if OPS[node.op].random:
            device = self.device
            base = fn

            def fn(*args, **kwargs):
                return base(*args, rng=device.rng, **kwargs)

        return dict(node.attrs), fn

    @staticmethod
    def _describe(node, buffer) -> str:
        ins = ", ".join(f"%{v.id}" for v in node.inputs)
        outs = ", ".join(f"%{v.id} {tuple(v.spec.shape)} {v.spec.dtype.name}" for v in node.outputs)
        where = f"  [buf{buffer}]" if buffer is not None else ""
        return f"{node.name:<40} {node.op if node.op != 'fused' else 'fused(' + '+'.join(c[0] for c in node.attrs['chain']) + ')'}({ins}) -> {outs}{where}"

    def run(self, feeds: Sequence) -> list:
        vals = self.template.copy()
        for s, array in zip(self.feed_slots, feeds):
            vals[s] = array
        for s, var in self.var_slots:
            vals[s] = var.value
        for fn, ins, outs, kwargs, frees in self.steps:
            result = fn(*[vals[i] for i in ins], **kwargs)
            if outs.__class__ is int:
                vals[outs] = result
            else:
                for o, r in zip(outs, result):
                    vals[o] = r
            for i in frees:
                vals[i] = None
        to_numpy = self.device.to_numpy
        return [np.array(to_numpy(vals[s])) for s in self.fetch_slots]

    def to_text(self) -> str:
        s = self.stats
        head = (f"plan: {len(self.steps)} steps; folded {s.get('folded', 0)}, cse merged {s.get('cse_merged', 0)}, "
                f"dead removed {s.get('dead_removed', 0)}, fused groups {s.get('fused_groups', 0)}; "
                f"{s.get('buffers', 0)} buffers ({s.get('buffer_bytes', 0) / 2**20:.2f} MiB) for {s.get('buffered_values', 0)} values")
        return "\n".join([head] + [f"{i:4d}  {line}" for i, line in enumerate(self.lines)])

