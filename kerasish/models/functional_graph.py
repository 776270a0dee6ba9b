"""Runs a recorded graph of layer calls from input KerasTensors to output KerasTensors."""
from __future__ import annotations

from kerasish.layers.input_layer import InputLayer
from kerasish.layers.input_spec import _fmt
from kerasish.layers.keras_tensor import KerasTensor
from kerasish.layers.layer import flatten, map_structure


class FunctionalGraph:
    """The nodes between `inputs` and `outputs`, in an order where each runs after its inputs."""

    def __init__(self, inputs, outputs, owner_name: str):
        self.inputs = inputs
        self.outputs = outputs
        self.flat_inputs = flatten(inputs)
        self.flat_outputs = flatten(outputs)
        self.owner_name = owner_name
        for t in self.flat_inputs + self.flat_outputs:
            if not isinstance(t, KerasTensor):
                raise TypeError(f"model '{owner_name}': inputs and outputs must be KerasTensors (from keras.Input and layer calls), got {t!r}")
        self.input_layers = [t._keras_history[0] for t in self.flat_inputs]
        self.nodes = self._sorted_nodes()

    def _sorted_nodes(self) -> list:
        order, seen = [], set()
        input_ids = {id(t) for t in self.flat_inputs}

        def visit(tensor):
            if id(tensor) in input_ids:
                return
            layer, node_index, _ = tensor._keras_history
            node = layer._inbound_nodes[node_index]
            if id(node) in seen:
                return
            if isinstance(layer, InputLayer):
                raise ValueError(f"model '{self.owner_name}': output depends on input '{layer.name}', which is not among the model's inputs")
            seen.add(id(node))
            for t in node.input_tensors:
                visit(t)
            order.append(node)

        for t in self.flat_outputs:
            visit(t)
        return order

    @property
    def layers(self) -> list:
        """Layers in Keras' order: deepest from the outputs first, ties by first visit.

        This order fixes `model.weights`, positional weight loading and saved group names,
        so it must equal Keras' own.
        """
        index, finished, order, found = {}, set(), [], {}
        input_ids = {id(t) for t in self.flat_inputs}

        def visit(tensor):
            layer, node_index, _ = tensor._keras_history
            node = layer._inbound_nodes[node_index]
            if id(node) in finished:
                return
            index.setdefault(id(layer), len(index))
            found[id(layer)] = layer
            if id(tensor) not in input_ids and not isinstance(layer, InputLayer):
                for t in node.input_tensors:
                    visit(t)
            finished.add(id(node))
            order.append(node)

        for t in self.flat_outputs:
            visit(t)
        node_depth, layer_depth = {}, {}
        for node in reversed(order):
            depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
            layer_depth[id(node.layer)] = node_depth[id(node)] = depth
            if not isinstance(node.layer, InputLayer):
                for parent in node.parent_nodes:
                    node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
        for layer in self.input_layers:
            if id(layer) not in layer_depth:
                layer_depth[id(layer)], index[id(layer)], found[id(layer)] = 0, -1, layer
        return [found[i] for i in sorted(layer_depth, key=lambda i: (-layer_depth[i], index[i]))]

    def run(self, inputs, training=None, mask=None):
        """Evaluate the graph on tensors or arrays shaped like the inputs."""
        flat = self._flatten_inputs(inputs)
        masks = flatten(mask) if mask is not None else [None] * len(flat)
        values = {}
        for t, value, m, layer in zip(self.flat_inputs, flat, masks, self.input_layers):
            _check_input_shape(self.owner_name, layer, value)
            values[id(t)] = (value, m)
        for node in self.nodes:
            layer = node.layer
            value_of = lambda a: values[id(a)][0] if isinstance(a, KerasTensor) else a  # noqa: E731
            args = map_structure(value_of, node.call_args)
            in_masks = map_structure(lambda a: values[id(a)][1] if isinstance(a, KerasTensor) else None, node.call_args[0])
            has_mask = any(m is not None for m in flatten(in_masks))
            kwargs = {k: map_structure(value_of, v) for k, v in node.call_kwargs.items()}
            accepted = layer._call_arguments()
            if training is not None and "training" in accepted and "training" not in kwargs:
                kwargs["training"] = training
            if has_mask and "mask" in accepted:
                kwargs["mask"] = in_masks
            outputs = layer(*args, **kwargs)
            out_masks = layer.compute_mask(args[0], in_masks if has_mask else None)
            flat_masks = flatten(out_masks) if out_masks is not None else []
            for i, (t, value) in enumerate(zip(node.outputs, flatten(outputs))):
                values[id(t)] = (value, flat_masks[i] if i < len(flat_masks) else None)
        return map_structure(lambda t: values[id(t)][0], self.outputs)

    def _flatten_inputs(self, inputs) -> list:
        if isinstance(inputs, dict) and not isinstance(self.inputs, dict):
            names = [layer.name for layer in self.input_layers]
            missing = [n for n in names if n not in inputs]
            if missing:
                raise ValueError(f"model '{self.owner_name}' expects inputs named {names}; missing {missing}")
            return [inputs[n] for n in names]
        if isinstance(self.inputs, dict) and isinstance(inputs, dict):
            return [inputs[k] for k in self.inputs]
        flat = flatten(inputs)
        if len(flat) != len(self.flat_inputs):
            raise ValueError(f"model '{self.owner_name}' expects {len(self.flat_inputs)} input(s), got {len(flat)}")
        return flat


def _check_input_shape(model_name: str, layer: InputLayer, value) -> None:
    shape = tuple(getattr(value, "shape", ()))
    expected = layer.batch_shape
    if len(shape) != len(expected) or any(e is not None and s is not None and e != s for e, s in zip(expected, shape)):
        raise ValueError(f"Input '{layer.name}' of model '{model_name}' is incompatible: expected shape={_fmt(expected)}, "
                         f"found shape={_fmt(shape)}")
