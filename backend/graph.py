"""The graph IR: symbolic tensors with static shapes, op nodes with attributes, name scopes.

A graph is plain data. Nodes are appended in creation order, which is a topological
order, so passes walk `graph.nodes` front to back (forward) or back to front (autodiff).
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator, Optional, Sequence

import numpy as np

from .operators import TensorOperators


class TensorShape(tuple):
    """A static shape: a tuple of ints, with None for an unknown (batch) dimension."""

    def as_list(self) -> list:
        return list(self)

    @property
    def rank(self) -> int:
        return len(self)

    ndims = rank

    def num_elements(self) -> Optional[int]:
        if any(d is None for d in self):
            return None
        return int(np.prod(self, dtype=np.int64))

    def __repr__(self) -> str:
        return f"({', '.join('None' if d is None else str(d) for d in self)}{',' if len(self) == 1 else ''})"


class TensorSpec:
    """A shape and a dtype: what shape inference reasons about."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = TensorShape(None if d is None else int(d) for d in shape)
        self.dtype = np.dtype(dtype)

    def __repr__(self) -> str:
        return f"{self.shape} {self.dtype.name}"


class Tensor(TensorSpec, TensorOperators):
    """A symbolic value: output `index` of `node` in `graph`."""

    __slots__ = ("node", "index")
    __array_priority__ = 1000  # NumPy defers `array * tensor` to Tensor.__rmul__

    def __init__(self, node: "Node", index: int, spec: TensorSpec):
        super().__init__(spec.shape, spec.dtype)
        self.node = node
        self.index = index

    @property
    def graph(self) -> "Graph":
        return self.node.graph

    @property
    def op(self) -> "Node":
        return self.node

    @property
    def name(self) -> str:
        return f"{self.node.name}:{self.index}"

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    def __repr__(self) -> str:
        return f"<Tensor '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    __hash__ = object.__hash__

    def __bool__(self):
        raise TypeError(f"Tensor '{self.name}' is symbolic and has no truth value; run it in a Session first")

    def __len__(self):
        if not self.shape or self.shape[0] is None:
            raise TypeError(f"Tensor '{self.name}' has an unknown first dimension")
        return self.shape[0]

    def eval(self, feed_dict=None, session=None):
        from .session import get_default_session

        return (session or get_default_session()).run(self, feed_dict)


class Node:
    """One op application: op name, input tensors, attributes and output tensors."""

    __slots__ = ("graph", "op", "inputs", "attrs", "outputs", "name", "id", "control_inputs")

    def __init__(self, graph: "Graph", op: str, inputs: Sequence[Tensor], attrs: dict, name: str, node_id: int):
        self.graph = graph
        self.op = op
        self.inputs = list(inputs)
        self.attrs = attrs
        self.outputs: list = []
        self.name = name
        self.id = node_id
        self.control_inputs: list = []

    @property
    def type(self) -> str:
        return self.op

    def run(self, feed_dict=None, session=None):
        from .session import get_default_session

        return (session or get_default_session()).run(self, feed_dict)

    def __repr__(self) -> str:
        return f"<Node {self.name} op={self.op}>"

    def to_text(self) -> str:
        args = ", ".join(t.name for t in self.inputs)
        attrs = ", ".join(f"{k}={_short(v)}" for k, v in self.attrs.items() if v is not None)
        outs = " ".join(f"{o.shape} {o.dtype.name}" for o in self.outputs)
        return f"{self.name:<32} {self.op:<22} ({args}){' {' + attrs + '}' if attrs else ''} -> {outs}"


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array{tuple(value.shape)}" if value.size > 4 else np.array2string(value, separator=",")
    if hasattr(value, "name") and not isinstance(value, (str, tuple)):
        return str(value.name)
    return repr(value)


class Graph:
    """A list of nodes with unique names and a name-scope stack."""

    def __init__(self):
        self.nodes: list = []
        self._name_counts: dict = {}
        self._scopes: list = []
        self._variable_tensors: dict = {}
        self.variables: list = []
        self.collections: dict = {}

    def unique_name(self, base: str, scoped: bool = True) -> str:
        if scoped and self._scopes:
            base = f"{self._scopes[-1]}/{base}"
        count = self._name_counts.get(base, 0)
        self._name_counts[base] = count + 1
        return base if count == 0 else f"{base}_{count}"

    def add_node(self, op: str, inputs: Sequence[Tensor], attrs: dict, specs: Sequence[TensorSpec], name: Optional[str] = None) -> Node:
        node = Node(self, op, inputs, attrs, self.unique_name(name or op), len(self.nodes))
        node.outputs = [Tensor(node, i, spec) for i, spec in enumerate(specs)]
        self.nodes.append(node)
        return node

    @contextlib.contextmanager
    def name_scope(self, name: Optional[str]) -> Iterator[str]:
        """Prefix the names of nodes made inside with `name/` (made unique like TF1)."""
        if not name:
            yield self._scopes[-1] if self._scopes else ""
            return
        name = name.rstrip("/")
        scope = self.unique_name(name)
        self._scopes.append(scope)
        try:
            yield scope + "/"
        finally:
            self._scopes.pop()

    def variable_tensor(self, variable) -> Tensor:
        """The tensor that reads `variable` in this graph (one per variable)."""
        tensor = self._variable_tensors.get(id(variable))
        if tensor is None:
            node = self.add_node("variable", [], {"var": variable}, [TensorSpec(variable.shape, variable.dtype)], name=variable.name.split(":")[0])
            tensor = node.outputs[0]
            self._variable_tensors[id(variable)] = tensor
            if all(v is not variable for v in self.variables):
                self.variables.append(variable)
        return tensor

    def get_operation_by_name(self, name: str) -> Node:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"no op named '{name}' in this graph")

    def get_tensor_by_name(self, name: str) -> Tensor:
        op_name, _, index = name.partition(":")
        return self.get_operation_by_name(op_name).outputs[int(index or 0)]

    def get_operations(self) -> list:
        return list(self.nodes)

    def to_text(self) -> str:
        """The graph as readable text: one line per op (name, op, inputs, attrs -> shape dtype)."""
        return "\n".join(node.to_text() for node in self.nodes)

    @contextlib.contextmanager
    def as_default(self) -> Iterator["Graph"]:
        _state.stack.append(self)
        try:
            yield self
        finally:
            _state.stack.pop()


class _GraphState(threading.local):
    def __init__(self):
        self.stack: list = []
        self.root = Graph()


_state = _GraphState()


def get_default_graph() -> Graph:
    return _state.stack[-1] if _state.stack else _state.root


def reset_default_graph() -> None:
    _state.root = Graph()


def name_scope(name: Optional[str]):
    return get_default_graph().name_scope(name)
