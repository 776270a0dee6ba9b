"""Reverse-mode differentiation that emits gradient nodes into the same graph."""
from __future__ import annotations

from typing import Optional, Sequence

from . import dtypes
from .graph import Tensor
from .registry import OPS, to_tensor


def gradients(ys, xs, grad_ys=None, name: str = "gradients") -> list:
    """d(sum of ys)/d(each x), as tensors in the ys' graph (None where x does not matter)."""
    ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
    single_x = not isinstance(xs, (list, tuple))
    xs = [xs] if single_x else list(xs)
    graph = ys[0].graph
    x_tensors = [to_tensor(x, graph) for x in xs]
    grad_ys = [None] * len(ys) if grad_ys is None else (list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys])

    from .ops.array import accumulate
    from .ops.math import ones_like

    with graph.name_scope(name):
        pending: dict = {}
        for y, gy in zip(ys, grad_ys):
            pending.setdefault(y, []).append(ones_like(y) if gy is None else to_tensor(gy, graph))
        for node in _nodes_between(ys, x_tensors):
            out_grads = [accumulate(pending.pop(out, [])) for out in node.outputs]
            if all(g is None for g in out_grads):
                continue
            opdef = OPS[node.op]
            if opdef.grad is None:
                continue
            in_grads = opdef.grad(node, *out_grads)
            if not isinstance(in_grads, (list, tuple)):
                in_grads = [in_grads]
            for tensor, g in zip(node.inputs, in_grads):
                if g is not None and dtypes.is_float(tensor.dtype):
                    pending.setdefault(tensor, []).append(g)
        result = [accumulate(pending.get(x, [])) for x in x_tensors]
    return result[0] if single_x else result


def _nodes_between(ys: Sequence[Tensor], xs: Sequence[Tensor]) -> list:
    """Nodes on some path from an x to a y, latest first."""
    upstream = set()
    stack = [y.node for y in ys]
    while stack:
        node = stack.pop()
        if node.id in upstream:
            continue
        upstream.add(node.id)
        stack.extend(t.node for t in node.inputs)
    x_nodes = {x.node.id for x in xs}
    depends: set = set()
    ordered = sorted(upstream)
    nodes = ys[0].graph.nodes
    for node_id in ordered:
        node = nodes[node_id]
        if node_id in x_nodes or any(t.node.id in depends for t in node.inputs):
            depends.add(node_id)
    return [nodes[i] for i in reversed(ordered) if i in depends and i not in x_nodes]


def gradient_of(y: Tensor, x) -> Optional[Tensor]:
    return gradients([y], [x])[0]
