"""The compiler's working copy of a graph: the nodes a run needs, rewritable by passes."""
from __future__ import annotations

from typing import Optional, Sequence

from ..errors import FeedError
from ..graph import Tensor, TensorSpec
from ..registry import OPS


class Value:
    """One tensor inside a program. `const` holds its array once known at compile time."""

    __slots__ = ("spec", "producer", "const", "name", "id", "feed", "variable")

    def __init__(self, spec: TensorSpec, name: str, vid: int):
        self.spec = spec
        self.producer: Optional["PNode"] = None
        self.const = None
        self.name = name
        self.id = vid
        self.feed = False
        self.variable = None

    def __repr__(self) -> str:
        return f"%{self.id}"


class PNode:
    """One op of a program (a copy of a graph node, or a node made by a pass)."""

    __slots__ = ("op", "inputs", "attrs", "outputs", "name")

    def __init__(self, op: str, inputs: list, attrs: dict, outputs: list, name: str):
        self.op = op
        self.inputs = inputs
        self.attrs = attrs
        self.outputs = outputs
        self.name = name
        for v in outputs:
            v.producer = self

    @property
    def opdef(self):
        return OPS[self.op]

    @property
    def stateful(self) -> bool:
        return self.op in OPS and OPS[self.op].stateful


class Program:
    """Nodes in topological order, the fed values, and the roots (fetches and updates)."""

    def __init__(self):
        self.nodes: list = []
        self.feeds: list = []
        self.fetches: list = []
        self.targets: list = []
        self._next = 0
        self.stats: dict = {}

    def new_value(self, spec: TensorSpec, name: str) -> Value:
        self._next += 1
        return Value(spec, name, self._next)

    def consumers(self) -> dict:
        users: dict = {}
        for node in self.nodes:
            for v in node.inputs:
                users.setdefault(v.id, []).append(node)
        return users


def extract(fetches: Sequence[Tensor], targets: Sequence, feeds: Sequence[Tensor]) -> Program:
    """Copy out the nodes between the feeds and the fetches/targets; check every placeholder is fed."""
    program = Program()
    values: dict = {}
    for t in feeds:
        v = program.new_value(TensorSpec(t.shape, t.dtype), t.name)
        v.feed = True
        values[t] = v
        program.feeds.append(v)

    target_nodes = _expand_targets(targets)
    needed: dict = {}
    stack = [t.node for t in fetches if t not in values] + target_nodes
    while stack:
        node = stack.pop()
        if node.id in needed:
            continue
        needed[node.id] = node
        stack.extend(t.node for t in node.inputs if t not in values)

    for node in sorted(needed.values(), key=lambda n: n.id):
        if node.op == "placeholder" and any(out not in values for out in node.outputs):
            raise FeedError(f"placeholder '{node.name}' (shape {node.outputs[0].shape}, dtype {node.outputs[0].dtype.name}) must be fed a value: add it to feed_dict")
        outs = [program.new_value(TensorSpec(o.shape, o.dtype), o.name) for o in node.outputs]
        for o, v in zip(node.outputs, outs):
            values.setdefault(o, v)
        pnode = PNode(node.op, [values[t] for t in node.inputs], dict(node.attrs), outs, node.name)
        if node.op == "variable":
            outs[0].variable = node.attrs["var"]
        program.nodes.append(pnode)
    program.fetches = [values[t] for t in fetches]
    program.targets = [pn for pn in program.nodes if pn.stateful]
    return program


def _expand_targets(targets: Sequence) -> list:
    """Target nodes, with groups (no_op) replaced by what they group."""
    out, stack = [], list(targets)
    while stack:
        item = stack.pop()
        node = item.node if isinstance(item, Tensor) else item
        if node.op == "no_op":
            stack.extend(node.control_inputs)
        else:
            out.append(node)
    return out
