"""`Layer`: weights, build-on-first-call, eager/symbolic/functional calls, config.

A layer's `call` uses only `keras.ops` / backend ops, so the same code adds graph nodes
when given symbolic tensors (training and predict graphs), runs kernels at once when given
arrays (eager calls), and records a functional node when given KerasTensors.
"""
from __future__ import annotations

import contextlib
import inspect
import threading
from typing import Any, Iterator, Optional

import numpy as np

from kerasish import backend, initializers
from kerasish.backend.registry import eager_mode, is_symbolic
from kerasish.variables import KerasVariable

from . import naming
from .input_spec import check_input


class _Collector(threading.local):
    def __init__(self):
        self.updates: Optional[list] = None


_collector = _Collector()


@contextlib.contextmanager
def collect_updates() -> Iterator[list]:
    """Gather the state-update ops (e.g. BatchNormalization moving stats) layers add while tracing."""
    previous, _collector.updates = _collector.updates, []
    try:
        yield _collector.updates
    finally:
        _collector.updates = previous


def flatten(structure) -> list:
    if isinstance(structure, dict):
        return [v for k in structure for v in flatten(structure[k])]
    if isinstance(structure, (list, tuple)):
        return [v for item in structure for v in flatten(item)]
    return [structure]


def map_structure(fn, structure):
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, v) for v in structure)
    return fn(structure)


class Layer:
    """Base class of every layer and model (Keras 3 API)."""

    default_input_dtype = None  # dtype of the Input a model makes for this layer (None: the layer's dtype)

    def __init__(self, trainable: bool = True, dtype=None, name: Optional[str] = None, **kwargs):
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        kwargs.pop("autocast", None)
        if kwargs:
            raise TypeError(f"{type(self).__name__} got unexpected keyword argument(s) {sorted(kwargs)}")
        self._tracking = False
        self._trainable_variables: list = []
        self._non_trainable_variables: list = []
        self._layers: list = []
        self._regularizers: list = []
        self._inbound_nodes: list = []
        self._tracking = True
        self.name = name or naming.unique_name(naming.snake_case(type(self).__name__))
        self._trainable = trainable
        self.built = False
        self.supports_masking = False
        self.input_spec = None
        self._build_shapes = None
        self.dtype = np.dtype(backend.floatx() if dtype is None or isinstance(dtype, dict) else dtype).name
        if batch_input_shape is not None:
            self._declared_input_shape = tuple(batch_input_shape)
        elif input_shape is not None or input_dim is not None:
            self._declared_input_shape = (None,) + (tuple(input_shape) if input_shape is not None else (input_dim,))
        else:
            self._declared_input_shape = None

    # ---- tracking ---------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_tracking", False) and name != "_layers":
            for item in (value if isinstance(value, (list, tuple)) else [value]):
                if isinstance(item, Layer) and item is not self and all(item is not l for l in self._layers):
                    self._layers.append(item)
        object.__setattr__(self, name, value)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = value

    # ---- weights ----------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable: bool = True, autocast: bool = True,
                   regularizer=None, constraint=None, aggregation="mean", name: Optional[str] = None) -> KerasVariable:
        """Create a weight owned by this layer (Keras default initializer: glorot_uniform, zeros for ints)."""
        dtype = np.dtype(dtype or self.dtype)
        if initializer is None:
            initializer = "glorot_uniform" if np.issubdtype(dtype, np.floating) else "zeros"
        name = name or f"variable_{len(self._trainable_variables) + len(self._non_trainable_variables)}"
        variable = KerasVariable(initializers.get(initializer), shape=tuple(shape or ()), dtype=dtype,
                                 trainable=trainable, name=name, path=f"{self.name}/{name}")
        (self._trainable_variables if trainable else self._non_trainable_variables).append(variable)
        if regularizer is not None:
            from kerasish import regularizers

            self._regularizers.append((variable, regularizers.get(regularizer)))
        return variable

    def _own_weights(self) -> list:
        return self._trainable_variables + self._non_trainable_variables

    @property
    def weights(self) -> list:
        out, seen = [], set()
        for w in self._own_weights() + [w for layer in self._layers for w in layer.weights]:
            if id(w) not in seen:
                seen.add(id(w))
                out.append(w)
        return out

    variables = weights

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        own = [w for w in self._trainable_variables if w.trainable]
        return _unique(own + [w for layer in self._layers for w in layer.trainable_weights])

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self) -> list:
        if not self.trainable:
            return self.weights
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    non_trainable_variables = non_trainable_weights

    def get_weights(self) -> list:
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights) -> None:
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(f"layer '{self.name}' expects {len(own)} weight arrays, got {len(weights)}")
        for variable, value in zip(own, weights):
            value = np.asarray(value)
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(f"layer '{self.name}': weight '{variable.path}' has shape {tuple(variable.shape)}, "
                                 f"got an array of shape {value.shape}")
            variable.assign(value)

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(f"layer '{self.name}' is not built yet: call it on data or build() it first")
        return int(sum(np.prod(w.shape) for w in self.weights))

    def regularization_losses(self) -> list:
        """(variable, regularizer) pairs of this layer and its sublayers."""
        return self._regularizers + [p for layer in self._layers for p in layer.regularization_losses()]

    # ---- building and calling ---------------------------------------------------------
    def build(self, input_shape) -> None:
        self.built = True

    def call(self, inputs, *args, **kwargs):
        raise NotImplementedError(f"layer {type(self).__name__} does not implement call()")

    def compute_mask(self, inputs, mask=None):
        return mask if self.supports_masking else None

    def compute_output_shape(self, input_shape):
        """Output shape, found by tracing `call` on placeholders of `input_shape`."""
        graph = backend.Graph()
        with graph.as_default():
            inputs = map_structure(lambda s: backend.placeholder(self.dtype, s), _shape_structure(input_shape))
            outputs = self(inputs)
        return map_structure(lambda t: tuple(t.shape), outputs)

    def add_update(self, update) -> None:
        """Register a state update made while tracing a training graph."""
        if _collector.updates is not None and is_symbolic(update):
            _collector.updates.append(update)

    def _maybe_build(self, inputs) -> None:
        if self.built:
            return
        shapes = map_structure(lambda x: tuple(x.shape), inputs)
        self._build_shapes = shapes
        self.build(shapes)
        self.built = True

    def _call_arguments(self) -> set:
        params = inspect.signature(self.call).parameters
        return set(params) | ({"training", "mask"} if any(p.kind == p.VAR_KEYWORD for p in params.values()) else set())

    def __call__(self, *args, **kwargs):
        from .keras_tensor import KerasTensor, symbolic_call

        if any(isinstance(x, KerasTensor) for x in flatten((args, kwargs))):
            return symbolic_call(self, args, kwargs)
        if not args:
            args = (kwargs.pop("inputs"),)
        accepted = self._call_arguments()
        for key in ("training", "mask"):
            if key in kwargs and key not in accepted:
                kwargs.pop(key)
        eager = not any(is_symbolic(x) for x in flatten(args[0]))
        inputs = map_structure(_as_input, args[0]) if eager else args[0]
        check_input(self.name, self.input_spec, inputs)
        if not self.built:
            self._maybe_build(inputs)
            check_input(self.name, self.input_spec, inputs)
        if eager:
            with eager_mode():
                return self.call(inputs, *args[1:], **kwargs)
        graph = next(x.graph for x in flatten(inputs) if isinstance(x, backend.Tensor))
        with graph.name_scope(self.name):
            return self.call(inputs, *args[1:], **kwargs)

    # ---- config -----------------------------------------------------------------------
    def get_config(self) -> dict:
        return {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name")
        return cls(**config)

    def get_build_config(self) -> Optional[dict]:
        return None if self._build_shapes is None else {"input_shape": _to_lists(self._build_shapes)}

    def build_from_config(self, config: dict) -> None:
        if config and config.get("input_shape") is not None:
            shape = config["input_shape"]
            self._build_shapes = _shape_structure(shape)
            self.build(self._build_shapes)
            self.built = True

    @property
    def output(self):
        if not self._inbound_nodes:
            raise AttributeError(f"layer '{self.name}' has never been called on a symbolic input, so it has no output")
        outputs = self._inbound_nodes[0].outputs
        return outputs[0] if len(outputs) == 1 else outputs

    @property
    def input(self):
        if not self._inbound_nodes:
            raise AttributeError(f"layer '{self.name}' has never been called on a symbolic input, so it has no input")
        return self._inbound_nodes[0].call_args[0]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _unique(weights: list) -> list:
    seen, out = set(), []
    for w in weights:
        if id(w) not in seen:
            seen.add(id(w))
            out.append(w)
    return out


def _as_input(x):
    """Eager inputs: arrays, with float64 brought to float32 as Keras' autocasting does."""
    if getattr(x, "_is_variable", False) or x is None:
        return x
    array = np.asarray(x)
    return array.astype(backend.floatx()) if array.dtype == np.float64 else array


def _shape_structure(shape):
    """A shape, or a list/dict of shapes, with lists turned into tuples where they are shapes."""
    if isinstance(shape, dict):
        return {k: _shape_structure(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [tuple(s) for s in shape]
    return tuple(shape)


def _to_lists(shapes):
    if isinstance(shapes, dict):
        return {k: _to_lists(v) for k, v in shapes.items()}
    if isinstance(shapes, list):
        return [_to_lists(s) for s in shapes]
    return list(shapes)
