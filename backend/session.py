"""TF1-style Session: `run(fetches, feed_dict)` over compiled, cached plans."""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .compiler import Function
from .errors import FeedError
from .graph import Graph, Node, Tensor, get_default_graph

_default_sessions: list = []


class Session:
    """Runs fetches of a graph; each distinct (fetches, feeds) pair is compiled once."""

    def __init__(self, target: str = "", graph: Optional[Graph] = None, config: Any = None):
        self.graph = graph or get_default_graph()
        self._functions: dict = {}
        self._closed = False

    def __enter__(self) -> "Session":
        _default_sessions.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _default_sessions.remove(self)
        self.close()

    def as_default(self) -> "Session":
        return self

    def close(self) -> None:
        self._closed = True
        self._functions.clear()

    def run(self, fetches, feed_dict: Optional[dict] = None, options=None, run_metadata=None):
        """Evaluate a fetch, or a list / tuple / dict (nested) of them, with `feed_dict` fed."""
        if self._closed:
            raise RuntimeError("this Session is closed")
        flat: list = []
        structure = _flatten(fetches, flat)
        feed_dict = feed_dict or {}
        feed_tensors = [self._feed_key(k) for k in feed_dict]
        tensors = [f for f in flat if isinstance(f, Tensor)]
        targets = [f for f in flat if isinstance(f, Node)]
        key = (tuple(id(t) for t in tensors), tuple(id(n) for n in targets), tuple(id(t) for t in feed_tensors))
        fn = self._functions.get(key)
        if fn is None:
            fn = self._functions[key] = Function(tensors, feed_tensors, targets)
        outputs = iter(fn(*feed_dict.values()))
        values = [next(outputs) if isinstance(f, Tensor) else (None if isinstance(f, Node) else f) for f in flat]
        return _rebuild(structure, iter(values))

    def _feed_key(self, key) -> Tensor:
        if isinstance(key, str):
            key = self.graph.get_tensor_by_name(key)
        if not isinstance(key, Tensor):
            raise FeedError(f"feed_dict keys must be placeholders or tensors, got {key!r}")
        return key


class InteractiveSession(Session):
    """A Session that installs itself as the default on creation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _default_sessions.append(self)


def get_default_session() -> Session:
    if not _default_sessions:
        raise RuntimeError("no default session: use `with Session() as sess:` or pass session=")
    return _default_sessions[-1]


def _flatten(fetches, flat: list):
    """Record the structure of `fetches`, appending leaves (tensors, nodes, values) to `flat`."""
    if isinstance(fetches, dict):
        return ("dict", type(fetches), [(k, _flatten(v, flat)) for k, v in fetches.items()])
    if isinstance(fetches, (list, tuple)):
        return ("seq", type(fetches), [_flatten(v, flat) for v in fetches])
    if getattr(fetches, "_is_variable", False):
        fetches = fetches.read_value()
    elif not isinstance(fetches, (Tensor, Node)):
        fetches = np.asarray(fetches)
    flat.append(fetches)
    return ("leaf",)


def _rebuild(structure, values):
    kind = structure[0]
    if kind == "leaf":
        return next(values)
    if kind == "dict":
        return structure[1]((k, _rebuild(s, values)) for k, s in structure[2])
    items = [_rebuild(s, values) for s in structure[2]]
    return structure[1](items) if structure[1] in (list, tuple) else structure[1](*items)
