"""`RNN`: a recurrent cell run over sequences, with Keras 3's sequence/state/mask/stateful semantics.

LSTM, GRU and SimpleRNN are RNN subclasses that only build their cell. Shared here:
return_sequences / return_state / go_backwards (outputs in processing order, as Keras),
masks (a masked step carries the states and repeats the previous output; with
`zero_output_for_mask`, set by Bidirectional, masked outputs are zero), `initial_state`,
input dropout (one mask per sequence, shared by all steps, as Keras), recurrent dropout
(one mask on h_{t-1} shared by all steps; runs the cell step by step), `stateful`
(states kept in non-trainable variables) and the config.

`unroll` is accepted for compatibility and ignored: the fused sequence ops already run the
whole loop in one kernel, and the step-by-step path is always unrolled.
"""
from __future__ import annotations

import numpy as np

from kerasish.backend.ops.array import expand_dims, getitem, reverse, tile
from kerasish.backend.ops.math import cast, multiply, ones_like, zeros_like
from kerasish.backend.ops.nn import dropout as dropout_op
from kerasish.backend.ops.state import assign
from kerasish.backend.registry import is_symbolic
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer

from ._sublayers import build_sublayer, deserialize_layer, serialize_layer
from .rnn_cell import RecurrentCell

CELL_KWARGS = ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
               "recurrent_constraint", "bias_constraint", "seed")


def cell_arguments(arguments: dict, kwargs: dict) -> dict:
    """A subclass's own __init__ arguments (its `locals()`) plus the cell-only keyword arguments
    found in `kwargs` (removed from it), to build its cell."""
    own = {k: v for k, v in arguments.items() if k not in ("self", "kwargs", "__class__")}
    own.update({k: kwargs.pop(k) for k in CELL_KWARGS if k in kwargs})
    kwargs.pop("activity_regularizer", None)
    return own


class RNN(Layer):
    """Runs `cell` (a RecurrentCell: LSTMCell, GRUCell, SimpleRNNCell) over the time axis."""

    def __init__(self, cell, return_sequences: bool = False, return_state: bool = False, go_backwards: bool = False,
                 stateful: bool = False, unroll: bool = False, zero_output_for_mask: bool = False, **kwargs):
        cell = deserialize_layer(cell) if isinstance(cell, dict) else cell
        if not isinstance(cell, RecurrentCell):
            raise TypeError(f"RNN needs an LSTMCell, GRUCell or SimpleRNNCell, got {cell!r}")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.states = None
        self.input_spec = InputSpec(ndim=3)

    @property
    def units(self) -> int:
        return self.cell.units

    @property
    def state_size(self) -> list:
        return self.cell.state_size

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"layer '{self.name}' expects inputs of shape (batch, time, features), got {tuple(input_shape)}")
        build_sublayer(self.cell, input_shape, self)
        if self.stateful:
            batch = input_shape[0]
            if batch is None:
                raise ValueError(f"stateful layer '{self.name}' needs a fixed batch size: give its input a batch "
                                 f"dimension (keras.Input(batch_shape=...) or batch_input_shape=...)")
            self.states = [self.add_weight((batch, size), "zeros", trainable=False, name="rnn_state")
                           for size in self.state_size]
        self.built = True

    def reset_states(self, states=None) -> None:
        """Set the kept states of a stateful layer to zeros (or to `states`)."""
        if not self.stateful:
            raise AttributeError(f"layer '{self.name}' is not stateful: it keeps no states to reset")
        if self.states is None:
            return
        values = [None] * len(self.states) if states is None else _as_list(states)
        for variable, value in zip(self.states, values):
            variable.assign(np.zeros(variable.shape, variable.dtype) if value is None else np.asarray(value))

    reset_state = reset_states

    def call(self, sequences, initial_state=None, mask=None, training=None):
        x = sequences
        mask = _first(mask)
        if mask is not None:
            mask = cast(mask, x.dtype)
        states = self._initial_states(x, initial_state)
        cell = self.cell
        if training and cell.dropout > 0:
            x = dropout_op(x, rate=cell.dropout, noise_shape=(None, 1, None))[0]
        recurrent_mask = None
        if training and cell.recurrent_dropout > 0:
            recurrent_mask = dropout_op(ones_like(states[0]), rate=cell.recurrent_dropout)[1]
        hs, final_states = cell.sequence(x, states, mask, self.go_backwards, recurrent_mask)
        if self.zero_output_for_mask and mask is not None:
            hs = multiply(hs, expand_dims(reverse(mask, axis=1) if self.go_backwards else mask, axis=-1))
        if self.stateful:
            self._keep_states(final_states)
        output = hs if self.return_sequences else getitem(hs, (slice(None), -1))
        return [output] + list(final_states) if self.return_state else output

    def _initial_states(self, x, initial_state) -> list:
        if initial_state is not None:
            states = _as_list(initial_state)
            if len(states) != len(self.state_size):
                raise ValueError(f"layer '{self.name}' expects {len(self.state_size)} initial state tensor(s), "
                                 f"got {len(states)}")
            return [cast(s, x.dtype) for s in states]
        if self.stateful:
            return list(self.states)
        zeros = zeros_like(getitem(x, (slice(None), 0, slice(0, 1))))
        return [tile(zeros, (1, size)) for size in self.state_size]

    def _keep_states(self, final_states: list) -> None:
        for variable, value in zip(self.states, final_states):
            if is_symbolic(value):
                self.add_update(assign(variable, value))
            else:
                variable.assign(value)

    def compute_mask(self, inputs, mask=None):
        mask = _first(mask)
        output_mask = mask if self.return_sequences else None
        return [output_mask] + [None] * len(self.state_size) if self.return_state else output_mask

    def compute_output_shape(self, input_shape):
        batch, time = input_shape[0], input_shape[1]
        output = (batch, time, self.units) if self.return_sequences else (batch, self.units)
        return [output] + [(batch, size) for size in self.state_size] if self.return_state else output

    def get_config(self) -> dict:
        config = {**super().get_config(), "return_sequences": self.return_sequences, "return_state": self.return_state,
                  "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
                  "zero_output_for_mask": self.zero_output_for_mask}
        if type(self) is RNN:
            return {**config, "cell": serialize_layer(self.cell)}
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key)
        return {**config, **cell_config}


def _first(mask):
    """The mask of the (first) input: masks arrive as a tensor or as a list with one per input."""
    while isinstance(mask, (list, tuple)):
        mask = mask[0] if mask else None
    return mask


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]
