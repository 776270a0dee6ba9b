"""TimeDistributed: applies a layer to every time step by folding time into the batch axis."""
from __future__ import annotations

from kerasish.backend.ops.array import reshape
from kerasish.layers.layer import Layer

from ._sublayers import build_sublayer, deserialize_layer, serialize_layer


class TimeDistributed(Layer):
    """(batch, time, ...) -> layer on (batch*time, ...) -> (batch, time, ...). Masks pass through."""

    def __init__(self, layer, **kwargs):
        layer = deserialize_layer(layer)
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed needs a Layer, got {layer!r}")
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def _inner_shape(self, input_shape) -> tuple:
        if len(input_shape) < 3:
            raise ValueError(f"TimeDistributed '{self.name}' needs inputs of rank >= 3 (batch, time, ...), "
                             f"got shape {tuple(input_shape)}")
        batch, time = input_shape[0], input_shape[1]
        return (None if batch is None or time is None else batch * time,) + tuple(input_shape[2:])

    def build(self, input_shape):
        build_sublayer(self.layer, self._inner_shape(input_shape), self)
        self.built = True

    def call(self, inputs, training=None, mask=None):
        batch, time = inputs.shape[0], inputs.shape[1]
        inner = self._inner_shape(inputs.shape)[1:]
        if None in inner:
            raise ValueError(f"TimeDistributed '{self.name}' needs known inner dimensions, got input shape {tuple(inputs.shape)}")
        kwargs = {}
        accepted = self.layer._call_arguments()
        if "training" in accepted:
            kwargs["training"] = training
        if mask is not None and "mask" in accepted:
            kwargs["mask"] = reshape(mask, (-1,) + tuple(mask.shape[2:]))
        y = self.layer(reshape(inputs, (-1,) + inner), **kwargs)
        if time is not None:
            return reshape(y, (-1, time) + tuple(y.shape[1:]))
        if batch is not None:
            return reshape(y, (batch, -1) + tuple(y.shape[1:]))
        raise ValueError(f"TimeDistributed '{self.name}' needs a known batch size or number of time steps, "
                         f"got input shape {tuple(inputs.shape)}")

    def compute_output_shape(self, input_shape):
        inner = self.layer.compute_output_shape(self._inner_shape(input_shape))
        return (input_shape[0], input_shape[1]) + tuple(inner[1:])

    def get_config(self) -> dict:
        return {**super().get_config(), "layer": serialize_layer(self.layer)}
