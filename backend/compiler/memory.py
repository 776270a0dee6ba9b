"""Buffer planning: liveness analysis assigns reusable preallocated buffers to op outputs."""
from __future__ import annotations

import math


def plan_buffers(program, out_capable: set) -> dict:
    """Map value id -> buffer index for outputs of kernels that accept `out=`.

    A value written by a kernel without `out=` may be a view of its inputs, so it keeps
    alive every buffer its inputs may alias. A buffer returns to the pool after the last
    use of every value that may alias it, and is handed to the next output of the same
    shape and dtype. Fetched values are never recycled within a run.
    """
    nodes = program.nodes
    last_use: dict = {}
    for i, node in enumerate(nodes):
        for v in node.inputs:
            last_use[v.id] = i
    for v in program.fetches:
        last_use[v.id] = math.inf

    pooled = {}
    aliases: dict = {}
    for node in nodes:
        writes_out = node.op == "fused" or node.op in out_capable
        for v in node.outputs:
            if writes_out and len(node.outputs) == 1 and v.const is None:
                pooled[v.id] = v
                aliases[v.id] = {v.id}
            else:
                aliases[v.id] = set().union(*[aliases.get(u.id, set()) for u in node.inputs]) if node.inputs else set()

    end: dict = {vid: -1 for vid in pooled}
    for vid, sources in aliases.items():
        for b in sources:
            end[b] = max(end[b], last_use.get(vid, -1))

    free: dict = {}
    assignment: dict = {}
    shapes: list = []
    releases: dict = {}
    for vid, step in end.items():
        releases.setdefault(step, []).append(vid)
    for i, node in enumerate(nodes):
        for v in node.outputs:
            if v.id not in pooled:
                continue
            key = (tuple(v.spec.shape), v.spec.dtype)
            stack = free.get(key)
            if stack:
                assignment[v.id] = stack.pop()
            else:
                assignment[v.id] = len(shapes)
                shapes.append(key)
        for vid in releases.get(i, []):
            if vid in assignment:
                free.setdefault((tuple(pooled[vid].spec.shape), pooled[vid].spec.dtype), []).append(assignment[vid])
    program.stats["buffers"] = len(shapes)
    program.stats["buffered_values"] = len(assignment)
    return {"assignment": assignment, "shapes": shapes, "last_use": last_use}
