"""The op registry: every op is declared once with its shape inference and gradient.

Calling an op dispatches on its inputs. If any input is a symbolic `Tensor` (or a
`Variable` outside eager mode) a node is added to the graph; otherwise the op runs at
once through the current device's kernel (eager mode). Both use the same inference, so
a bad shape gets the same clear error either way.
"""
from __future__ import annotations

import contextlib
import inspect
import threading
from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np

from . import dtypes
from .device import get_device
from .errors import GraphError
from .graph import Tensor, TensorSpec, get_default_graph

REQUIRED = object()


class ShapeError(ValueError):
    """Raised by an inference function; the registry adds the op and its inputs."""


class OpDef:
    """An op: its name, attributes with defaults, shape/dtype inference and gradient."""

    def __init__(self, name: str, infer: Callable, attrs: Optional[dict] = None, elementwise: bool = False,
                 stateful: bool = False, random: bool = False, differentiable: bool = True):
        self.name = name
        self.infer = infer
        self.attrs = dict(attrs or {})
        self.elementwise = elementwise
        self.stateful = stateful
        self.random = random
        self.differentiable = differentiable
        self.grad: Optional[Callable] = None
        self.n_inputs = _count_inputs(infer, self.attrs)

    def gradient(self, fn: Callable) -> Callable:
        """Declare the gradient: fn(node, *output_grads) -> one grad (or None) per input."""
        self.grad = fn
        return fn

    def complete_attrs(self, given: dict) -> dict:
        given = {k: _hashable(v) for k, v in given.items()}
        unknown = set(given) - set(self.attrs)
        if unknown:
            raise GraphError(f"op '{self.name}' got unknown attribute(s) {sorted(unknown)}; it takes {sorted(self.attrs) or 'none'}")
        attrs = {}
        for key, default in self.attrs.items():
            value = given.get(key, default)
            if value is REQUIRED:
                raise GraphError(f"op '{self.name}' needs attribute '{key}'")
            attrs[key] = value
        return attrs

    def infer_specs(self, specs: Sequence[TensorSpec], attrs: dict, name: Optional[str] = None) -> list:
        try:
            out = self.infer(*specs, **attrs)
        except ShapeError as err:
            shown = ", ".join(f"{s.shape} {s.dtype.name}" for s in specs)
            raise GraphError(f"op '{self.name}'{f' ({name})' if name else ''}: {err}; inputs: [{shown}]") from None
        return list(out) if isinstance(out, (list, tuple)) else [out]

    def __call__(self, *inputs, name: Optional[str] = None, **attrs):
        if self.n_inputs is not None and len(inputs) > self.n_inputs:
            extra = inputs[self.n_inputs:]
            inputs = inputs[:self.n_inputs]
            attrs.update({k: v for k, v in zip([k for k in self.attrs if k not in attrs], extra)})
        return apply(self, inputs, attrs, name)

    def __repr__(self) -> str:
        return f"<OpDef {self.name}>"


OPS: dict = {}


def _count_inputs(infer: Callable, attrs: dict) -> Optional[int]:
    """How many tensor inputs `infer` takes (None when variadic); extra positionals are attrs."""
    params = inspect.signature(infer).parameters.values()
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return None
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name not in attrs)


def _hashable(value: Any) -> Any:
    """Attributes are compared and hashed by the compiler: lists become tuples."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


def define_op(name: str, infer: Callable, **options) -> OpDef:
    if name in OPS:
        raise ValueError(f"op '{name}' defined twice")
    op = OpDef(name, infer, **options)
    OPS[name] = op
    return op


class _Mode(threading.local):
    def __init__(self):
        self.eager_depth = 0


_mode = _Mode()


@contextlib.contextmanager
def eager_mode() -> Iterator[None]:
    """Inside, Variables are read as values, so ops on them run at once."""
    _mode.eager_depth += 1
    try:
        yield
    finally:
        _mode.eager_depth -= 1


def in_eager_mode() -> bool:
    return _mode.eager_depth > 0


def is_symbolic(value: Any) -> bool:
    return isinstance(value, Tensor) or (getattr(value, "_is_variable", False) and not in_eager_mode())


def spec_of(value: Any, like: Optional[np.dtype] = None) -> TensorSpec:
    if isinstance(value, TensorSpec):
        return value
    array = concrete(value, like)
    return TensorSpec(array.shape, array.dtype)


def concrete(value: Any, like: Optional[np.dtype] = None):
    """A value as a device array; Python scalars take the dtype `like` (weak typing)."""
    if getattr(value, "_is_variable", False):
        return value.value
    xp = get_device().xp
    if isinstance(value, (bool, int, float)) and not isinstance(value, np.generic):
        if like is not None:
            return xp.asarray(value, dtype=like)
        if isinstance(value, bool):
            return xp.asarray(value)
        return xp.asarray(value, dtype=dtypes.floatx() if isinstance(value, float) else np.int32)
    return value if isinstance(value, xp.ndarray) else xp.asarray(value)


def to_tensor(value: Any, graph=None, like: Optional[np.dtype] = None) -> Tensor:
    """A symbolic tensor for `value`: tensors pass, Variables read, the rest become constants."""
    if isinstance(value, Tensor):
        return value
    graph = graph or get_default_graph()
    if getattr(value, "_is_variable", False):
        return graph.variable_tensor(value)
    array = np.asarray(concrete(value, like))
    node = graph.add_node("constant", [], {"value": array}, [TensorSpec(array.shape, array.dtype)], name="Const")
    return node.outputs[0]


def _weak_dtype(inputs: Sequence[Any]) -> Optional[np.dtype]:
    for value in inputs:
        if isinstance(value, (TensorSpec,)) or getattr(value, "_is_variable", False) or hasattr(value, "dtype"):
            return np.dtype(value.dtype)
    return None


def apply(op: OpDef, inputs: Sequence[Any], attrs: dict, name: Optional[str] = None):
    attrs = op.complete_attrs(attrs)
    like = _weak_dtype(inputs) if op.elementwise else None
    if any(is_symbolic(v) for v in inputs):
        graph = _graph_of(inputs, op)
        tensors = [to_tensor(v, graph, like) for v in inputs]
        specs = op.infer_specs(tensors, attrs, name)
        node = graph.add_node(op.name, tensors, attrs, specs, name)
        return node.outputs[0] if len(node.outputs) == 1 else tuple(node.outputs)
    arrays = [concrete(v, like) for v in inputs]
    op.infer_specs([TensorSpec(a.shape, a.dtype) for a in arrays], attrs, name)
    return run_kernel(op, arrays, attrs)


def run_kernel(op: OpDef, arrays: Sequence[Any], attrs: dict):
    device = get_device()
    kernel = device.kernel(op.name)
    if op.random:
        return kernel(*arrays, rng=device.rng, **attrs)
    return kernel(*arrays, **attrs)


def _graph_of(inputs: Sequence[Any], op: OpDef):
    graphs = {id(v.graph): v.graph for v in inputs if isinstance(v, Tensor)}
    if len(graphs) > 1:
        raise GraphError(f"op '{op.name}': inputs come from different graphs")
    return next(iter(graphs.values())) if graphs else get_default_graph()
