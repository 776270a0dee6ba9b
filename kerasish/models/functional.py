"""Functional models: a graph of layer calls from `keras.Input`s to outputs."""
from __future__ import annotations

from typing import Optional

from .functional_graph import FunctionalGraph
from .model import Model


class Functional(Model):
    """`Model(inputs, outputs)`: runs the recorded layer calls in order."""

    _is_functional = True

    def __init__(self, inputs, outputs, name: Optional[str] = None, trainable: bool = True, **kwargs):
        Model.__init__(self, trainable=trainable, name=name or None)
        if name is None:
            from kerasish.layers import naming

            self.name = naming.unique_name("functional")
        self._graph = FunctionalGraph(inputs, outputs, self.name)
        self._tracking = False
        self._layers = self._graph.layers
        self._tracking = True
        self.built = True
        self._build_shapes = [t.shape for t in self._graph.flat_inputs]

    @property
    def inputs(self) -> list:
        return self._graph.flat_inputs

    @property
    def outputs(self) -> list:
        return self._graph.flat_outputs

    @property
    def input_names(self) -> list:
        return [layer.name for layer in self._graph.input_layers]

    @property
    def output_names(self) -> list:
        return [t._keras_history[0].name for t in self._graph.flat_outputs]

    @property
    def output_structure(self):
        return self._graph.outputs

    def call(self, inputs, training=None, mask=None):
        return self._graph.run(inputs, training=training, mask=mask)

    def _maybe_build(self, inputs) -> None:
        self.built = True

    def _connections(self, layer) -> list:
        """Keras' "Connected to" strings ("conv2d[0][0]") for each call of `layer` in this model."""
        out = []
        for node in self._graph.nodes:
            if node.layer is layer:
                for t in node.input_tensors:
                    source, node_index, tensor_index = t._keras_history
                    out.append(f"{source.name}[{node_index}][{tensor_index}]")
        return out

    def get_config(self) -> dict:
        from kerasish.saving.serialization import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from kerasish.saving.serialization import functional_from_config

        return functional_from_config(config, custom_objects)

