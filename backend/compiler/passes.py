"""Compiler passes over a Program: shapes, constant folding, CSE, dead ops, fusion, order."""
from __future__ import annotations

from ..device import Device
from ..graph import TensorSpec
from ..registry import OPS

NEVER_FOLD = {"placeholder", "variable"}
SHAPE_ONLY = {"ones_like", "zeros_like", "reduction_size"}  # results depend on input shapes alone


def infer_shapes(program, feed_specs) -> None:
    """Re-run shape inference with the concrete shapes of this run's feeds."""
    for v, spec in zip(program.feeds, feed_specs):
        v.spec = spec
    for node in program.nodes:
        if node.op == "variable":
            var = node.attrs["var"]
            node.outputs[0].spec = TensorSpec(var.shape, var.dtype)
            continue
        specs = OPS[node.op].infer_specs([v.spec for v in node.inputs], node.attrs, node.name)
        for v, spec in zip(node.outputs, specs):
            v.spec = spec


def fold_constants(program, device: Device) -> None:
    """Evaluate, once, every pure op whose inputs are all known at compile time."""
    kept, folded = [], 0
    for node in program.nodes:
        if node.op == "constant":
            node.outputs[0].const = device.asarray(node.attrs["value"])
            continue
        opdef = OPS[node.op]
        if node.op in SHAPE_ONLY:
            dummies = [device.xp.empty(v.spec.shape, v.spec.dtype) for v in node.inputs]
            node.outputs[0].const = device.kernel(node.op)(*dummies, **node.attrs)
            folded += 1
            continue
        if node.op in NEVER_FOLD or opdef.stateful or opdef.random or not all(v.const is not None for v in node.inputs):
            kept.append(node)
            continue
        result = device.kernel(node.op)(*[v.const for v in node.inputs], **node.attrs)
        for v, r in zip(node.outputs, result if len(node.outputs) > 1 else [result]):
            v.const = r
        folded += 1
    program.nodes = kept
    program.stats["folded"] = folded


def _attr_key(attrs: dict):
    try:
        key = tuple(sorted(attrs.items()))
        hash(key)
        return key
    except TypeError:
        return None


def eliminate_common_subexpressions(program) -> None:
    """Merge pure nodes with the same op, inputs and attributes."""
    seen: dict = {}
    replace: dict = {}
    kept, merged = [], 0
    for node in program.nodes:
        node.inputs = [replace.get(v.id, v) for v in node.inputs]
        opdef = OPS[node.op]
        key = None if opdef.stateful or opdef.random or node.op in NEVER_FOLD else _attr_key(node.attrs)
        if key is not None:
            key = (node.op, tuple(v.id for v in node.inputs), key)
            first = seen.get(key)
            if first is not None:
                for mine, theirs in zip(node.outputs, first.outputs):
                    replace[mine.id] = theirs
                merged += 1
                continue
            seen[key] = node
        kept.append(node)
    program.nodes = kept
    program.fetches = [replace.get(v.id, v) for v in program.fetches]
    program.stats["cse_merged"] = merged


def eliminate_dead(program) -> None:
    """Drop nodes that neither feed a fetch nor lead to an update."""
    live = {v.id for v in program.fetches}
    kept = []
    for node in reversed(program.nodes):
        if node.stateful or any(v.id in live for v in node.outputs):
            kept.append(node)
            live.update(v.id for v in node.inputs)
    program.stats["dead_removed"] = len(program.nodes) - len(kept)
    program.nodes = kept[::-1]


def fuse_elementwise(program, device: Device) -> None:
    """Merge chains of elementwise ops (bias_add -> relu, ...) into one `fused` node.

    A chain is linear: each member's only consumer is the next member, and all members
    produce the chain's output shape and dtype, so the chain runs in one buffer.
    """
    users = program.consumers()
    fetched = {v.id for v in program.fetches}
    out_capable = device.kernels.out_capable

    def fusable(node) -> bool:
        return node.op in out_capable and OPS[node.op].elementwise and len(node.outputs) == 1

    chain_of: dict = {}
    for node in program.nodes:
        if not fusable(node):
            continue
        out = node.outputs[0]
        consumers = users.get(out.id, [])
        if out.id in fetched or len(consumers) != 1:
            continue
        nxt = consumers[0]
        if fusable(nxt) and nxt.outputs[0].spec.shape == out.spec.shape and nxt.outputs[0].spec.dtype == out.spec.dtype:
            chain_of[nxt] = chain_of.pop(node, [node]) + [nxt]

    absorbed = {id(member) for chain in chain_of.values() for member in chain[:-1]}
    kept, groups = [], 0
    for node in program.nodes:
        if id(node) in absorbed:
            continue
        chain = chain_of.get(node)
        kept.append(_fused_node(chain) if chain else node)
        groups += bool(chain)
    program.nodes = kept
    program.stats["fused_groups"] = groups


def _fused_node(chain: list):
    from .program import PNode

    external: list = []
    links = []
    inside = {chain[i].outputs[0].id for i in range(len(chain) - 1)}
    for member in chain:
        sources = []
        for v in member.inputs:
            if v.id in inside:
                sources.append(-1)
            else:
                if v not in external:
                    external.append(v)
                sources.append(external.index(v))
        links.append((member.op, tuple(sources), tuple(sorted(member.attrs.items()))))
    name = "+".join(m.op for m in chain)
    return PNode("fused", external, {"chain": tuple(links)}, [chain[-1].outputs[0]], f"{chain[-1].name}[{name}]")


def schedule(program) -> None:
    """Order nodes topologically with every stateful node as late as possible.

    Variable updates then run after every pure op has read the old values.
    """
    produced_by = {v.id: node for node in program.nodes for v in node.outputs}
    pending = {id(n): sum(1 for v in n.inputs if v.id in produced_by) for n in program.nodes}
    users = program.consumers()
    pure = [n for n in program.nodes if pending[id(n)] == 0 and not n.stateful]
    stateful = [n for n in program.nodes if pending[id(n)] == 0 and n.stateful]
    order = []
    position = {id(n): i for i, n in enumerate(program.nodes)}
    while pure or stateful:
        queue = pure if pure else stateful
        queue.sort(key=lambda n: position[id(n)])
        node = queue.pop(0)
        order.append(node)
        for v in node.outputs:
            for user in users.get(v.id, []):
                pending[id(user)] -= 1
                if pending[id(user)] == 0:
                    (stateful if user.stateful else pure).append(user)
    program.nodes = order


def make_fused_kernel(chain: tuple, device: Device):
    """The kernel of a `fused` node: runs the chain's kernels into one output buffer."""
    steps = [(device.kernel(op), sources, dict(attrs)) for op, sources, attrs in chain]

    def fused(*inputs, out=None):
        prev = None
        for fn, sources, attrs in steps:
            prev = fn(*[prev if s < 0 else inputs[s] for s in sources], out=out, **attrs)
            out = prev
        return prev

    return fused

