"""KerasTensor and Node: the functional graph of layer calls, kept as plain data.

Calling a layer on KerasTensors traces its `call` once on placeholders in a scratch
graph (that builds the layer and infers output shapes) and records a Node.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from kerasish import backend

from .layer import flatten, map_structure


class KerasTensor:
    """A symbolic functional-API tensor: shape (batch None), dtype, and the call that made it."""

    def __init__(self, shape, dtype="float32", layer=None, node_index: int = 0, tensor_index: int = 0,
                 name: Optional[str] = None, has_mask: bool = False):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype).name
        self._keras_history = (layer, node_index, tensor_index)
        self.name = name
        self.has_mask = has_mask

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"


class Node:
    """One call of `layer`: the arguments (KerasTensors in place) and the KerasTensors it made."""

    def __init__(self, layer, call_args: tuple, call_kwargs: dict, outputs):
        self.layer = layer
        self.call_args = call_args
        self.call_kwargs = call_kwargs
        self.output_structure = outputs
        self.outputs = flatten(outputs)
        self.input_tensors = [x for x in flatten((call_args, call_kwargs)) if isinstance(x, KerasTensor)]

    @property
    def parent_nodes(self) -> list:
        return [t._keras_history[0]._inbound_nodes[t._keras_history[1]] for t in self.input_tensors]


def symbolic_call(layer, args: tuple, kwargs: dict):
    """Record `layer(*args, **kwargs)` on KerasTensors; return the output KerasTensors."""
    graph = backend.Graph()
    with graph.as_default():
        holders = {}

        def to_placeholder(x):
            if isinstance(x, KerasTensor):
                holders[id(x)] = backend.placeholder(x.dtype, x.shape, name=x.name)
                return holders[id(x)]
            return x

        traced_args = map_structure(to_placeholder, args)
        traced_kwargs = {k: map_structure(to_placeholder, v) for k, v in kwargs.items()}
        masks = map_structure(lambda x: backend.placeholder("bool", x.shape[:2]) if isinstance(x, KerasTensor) and x.has_mask else None, args[0])
        if any(m is not None for m in flatten(masks)) and "mask" in layer._call_arguments() and "mask" not in traced_kwargs:
            traced_kwargs["mask"] = masks
        outputs = layer(*traced_args, **traced_kwargs)
        out_masks = layer.compute_mask(traced_args[0], masks if any(m is not None for m in flatten(masks)) else None)
    node_index = len(layer._inbound_nodes)
    flat_masks = flatten(out_masks) if out_masks is not None else []
    counter = iter(range(len(flatten(outputs))))

    def to_keras(t):
        i = next(counter)
        has_mask = i < len(flat_masks) and flat_masks[i] is not None
        return KerasTensor(t.shape, t.dtype, layer, node_index, i, name=f"{layer.name}_{i}" if i else layer.name, has_mask=has_mask)

    keras_outputs = map_structure(to_keras, outputs)
    saved_kwargs = {k: v for k, v in kwargs.items() if k != "mask"}
    layer._inbound_nodes.append(Node(layer, args, saved_kwargs, keras_outputs))
    return keras_outputs
