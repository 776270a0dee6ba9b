"""Bidirectional: a recurrent layer run forwards and a copy run backwards, outputs merged.

As Keras 3: the sublayers are `forward_<name>` and `backward_<name>` (weight paths
"bidirectional/forward_lstm/lstm_cell/kernel"), the backward output is flipped back to input
time order when sequences are returned, and masked steps output zeros when sequences are
returned (zero_output_for_mask).
"""
from __future__ import annotations

from typing import Optional

from kerasish.backend.ops.array import concat, reverse
from kerasish.backend.ops.math import add, multiply
from kerasish.layers.layer import Layer

from ._sublayers import build_sublayer, deserialize_layer, serialize_layer
from .rnn import RNN, _first

MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _copy(layer: RNN, name: str, **overrides) -> RNN:
    """A fresh, unbuilt copy of `layer` from its config."""
    return type(layer).from_config({**layer.get_config(), "name": name, **overrides})


def _removeprefix(name: str, prefix: str) -> str:
    return name[len(prefix):] if name.startswith(prefix) else name


class Bidirectional(Layer):
    def __init__(self, layer, merge_mode: Optional[str] = "concat", weights=None, backward_layer=None, **kwargs):
        layer = deserialize_layer(layer)
        backward_layer = None if backward_layer is None else deserialize_layer(backward_layer)
        if not isinstance(layer, RNN):
            raise ValueError(f"Bidirectional needs a recurrent layer (LSTM, GRU, SimpleRNN, RNN), got {layer!r}")
        if merge_mode not in MERGE_MODES:
            raise ValueError(f"Bidirectional: invalid merge_mode {merge_mode!r}; valid modes: {list(MERGE_MODES)}")
        if weights is not None:
            raise NotImplementedError("Bidirectional: the `weights` argument is not supported; call set_weights() once built")
        super().__init__(**kwargs)
        self.forward_layer = _copy(layer, "forward_" + _removeprefix(layer.name, "forward_"))
        if backward_layer is None:
            self.backward_layer = _copy(layer, "backward_" + _removeprefix(layer.name, "backward_"),
                                        go_backwards=not layer.go_backwards)
        else:
            if not isinstance(backward_layer, RNN) or backward_layer.go_backwards == layer.go_backwards:
                raise ValueError("Bidirectional: `backward_layer` must be a recurrent layer with the opposite "
                                 "go_backwards of `layer`")
            for attr in ("return_sequences", "return_state", "stateful"):
                if getattr(backward_layer, attr) != getattr(layer, attr):
                    raise ValueError(f"Bidirectional: `backward_layer` must have the same {attr} as `layer`")
            self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        for sublayer in (self.forward_layer, self.backward_layer):
            sublayer.zero_output_for_mask = self.return_sequences
        self.supports_masking = True

    def build(self, input_shape):
        for sublayer in (self.forward_layer, self.backward_layer):
            build_sublayer(sublayer, input_shape, self)
        self.built = True

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_states = backward_states = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_states, backward_states = initial_state[:half], initial_state[half:]
        mask = _first(mask)
        forward = self.forward_layer(sequences, initial_state=forward_states, mask=mask, training=training)
        backward = self.backward_layer(sequences, initial_state=backward_states, mask=mask, training=training)
        states = []
        if self.return_state:
            forward, states = forward[0], forward[1:]
            backward, states = backward[0], states + backward[1:]
        if self.return_sequences:
            backward = reverse(backward, axis=1)
        output = self._merge(forward, backward)
        if not self.return_state:
            return output
        return (output if isinstance(output, list) else [output]) + states

    def _merge(self, forward, backward):
        if self.merge_mode == "concat":
            return concat([forward, backward], axis=-1)
        if self.merge_mode == "sum":
            return add(forward, backward)
        if self.merge_mode == "ave":
            return multiply(add(forward, backward), 0.5)
        if self.merge_mode == "mul":
            return multiply(forward, backward)
        return [forward, backward]

    def compute_mask(self, inputs, mask=None):
        mask = _first(mask)
        output_mask = mask if self.return_sequences else None
        output_mask = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            return output_mask + [None] * (2 * len(self.forward_layer.state_size))
        return output_mask if self.merge_mode is None else output_mask[0]

    def reset_states(self, states=None) -> None:
        half = None if states is None else len(states) // 2
        self.forward_layer.reset_states(None if states is None else states[:half])
        self.backward_layer.reset_states(None if states is None else states[half:])

    reset_state = reset_states

    def get_config(self) -> dict:
        return {**super().get_config(), "merge_mode": self.merge_mode, "layer": serialize_layer(self.forward_layer),
                "backward_layer": serialize_layer(self.backward_layer)}
