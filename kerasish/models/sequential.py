"""`Sequential`: a plain stack of layers, built as a functional graph once the input shape is known."""
from __future__ import annotations

from typing import Optional

from kerasish.layers.input_layer import Input, InputLayer
from kerasish.layers.keras_tensor import KerasTensor
from kerasish.layers.layer import Layer

from .functional_graph import FunctionalGraph
from .model import Model


class Sequential(Model):
    """Layers applied one after the other; `keras.Input` first fixes the input shape."""

    def __init__(self, layers=None, trainable: bool = True, name: Optional[str] = None):
        Model.__init__(self, trainable=trainable, name=name)
        self._tracking = False
        self._graph = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._tracking = True
        self._maybe_rebuild()

    def add(self, layer, rebuild: bool = True) -> None:
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add takes a Layer, got {layer!r}")
        if isinstance(layer, InputLayer) and self._layers:
            raise ValueError(f"Sequential '{self.name}': an InputLayer can only come first")
        if any(layer is l for l in self._layers):
            raise ValueError(f"layer '{layer.name}' is already in Sequential '{self.name}'")
        self._layers.append(layer)
        self.built, self._graph = False, None
        if rebuild:
            self._maybe_rebuild()

    def pop(self) -> Layer:
        layer = self._layers.pop()
        self.built, self._graph = False, None
        self._maybe_rebuild()
        return layer

    @property
    def layers(self) -> list:
        return [l for l in self._layers if not isinstance(l, InputLayer)]

    def _maybe_rebuild(self) -> None:
        if not self._layers:
            return
        first = self._layers[0]
        if isinstance(first, InputLayer) and len(self._layers) > 1:
            self.build(first.batch_shape)
        elif getattr(first, "_declared_input_shape", None) is not None:
            self.build(first._declared_input_shape)
        elif isinstance(first, Model) and first.built and first.inputs and len(self._layers) > 1:
            self.build(first.inputs[0].shape, dtype=first.inputs[0].dtype)

    def build(self, input_shape=None, dtype=None) -> None:
        if input_shape is None:
            raise ValueError(f"Sequential '{self.name}' cannot be built without an input shape: start it with keras.Input(shape=...)")
        first = self._layers[0]
        if isinstance(first, InputLayer):
            inputs = first.output_tensor
        else:
            inputs = Input(batch_shape=tuple(input_shape), dtype=dtype or first.default_input_dtype or first.dtype)
            self._tracking = False
            self._layers.insert(0, inputs._keras_history[0])
            self._tracking = True
        x = inputs
        for layer in self.layers:
            x = layer(x)
        self._graph = FunctionalGraph(inputs, x, self.name)
        self._build_shapes = tuple(input_shape)
        self.built = True

    def _maybe_build(self, inputs) -> None:
        if not self.built:
            dtype = inputs.dtype if "int" in str(inputs.dtype) else None
            self.build((None,) + tuple(inputs.shape)[1:], dtype=dtype)

    def call(self, inputs, training=None, mask=None):
        return self._graph.run(inputs, training=training, mask=mask)

    @property
    def inputs(self) -> list:
        return self._graph.flat_inputs if self._graph else []

    @property
    def outputs(self) -> list:
        return self._graph.flat_outputs if self._graph else []

    @property
    def input_shape(self):
        if self._graph is None:
            raise AttributeError(f"Sequential '{self.name}' is not built yet, so it has no input shape")
        return self._graph.flat_inputs[0].shape

    @property
    def output_shape(self):
        return self._graph.flat_outputs[0].shape

    def get_config(self) -> dict:
        from kerasish.saving.serialization import sequential_config

        return sequential_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from kerasish.saving.serialization import sequential_from_config

        return sequential_from_config(config, custom_objects)

