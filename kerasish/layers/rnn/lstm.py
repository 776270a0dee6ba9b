"""LSTM: Keras 3's LSTM layer and LSTMCell (gates i, f, c, o; kernel (in, 4u))."""
from __future__ import annotations

import numpy as np

from kerasish import activations
from kerasish.backend.ops.math import add, multiply
from kerasish.backend.ops.recurrent import lstm_seq

from .rnn import RNN, cell_arguments
from .rnn_cell import RecurrentCell, maybe_scale, split_gates


class LSTMCell(RecurrentCell):
    gates = 4
    n_states = 2

    def __init__(self, units: int, activation="tanh", recurrent_activation="sigmoid", unit_forget_bias: bool = True,
                 **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias

    def bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, init = self.units, self.bias_initializer

        def forget_bias_one(shape, dtype=None):
            """Keras' unit_forget_bias: the forget-gate block starts at 1."""
            return np.concatenate([np.asarray(init((units,), dtype=dtype), dtype), np.ones(units, dtype),
                                   np.asarray(init((2 * units,), dtype=dtype), dtype)])
        return forget_bias_one

    def fused_supported(self) -> bool:
        return (activations.serialize(self.activation), activations.serialize(self.recurrent_activation)) == (
            "tanh", "sigmoid")

    def fused(self, x, states, mask, go_backwards):
        hs, h, c = lstm_seq(x, *states, self.kernel, self.recurrent_kernel, self.bias_or_zeros(x.dtype),
                            *([] if mask is None else [mask]), go_backwards=go_backwards)[:3]
        return hs, [h, c]

    def step(self, x_t, states, recurrent_mask):
        h, c = states
        z = add(self.project(x_t, self.kernel, self.bias), self.project(maybe_scale(h, recurrent_mask), self.recurrent_kernel))
        i, f, g, o = split_gates(z, 4, self.units)
        act, rec = self.activation, self.recurrent_activation
        c = add(multiply(rec(f), c), multiply(rec(i), act(g)))
        h = multiply(rec(o), act(c))
        return h, [h, c]

    def get_config(self) -> dict:
        return {**super().get_config(), "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


class LSTM(RNN):
    """Long short-term memory layer (Keras 3 arguments and defaults)."""

    def __init__(self, units: int, activation="tanh", recurrent_activation="sigmoid", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias: bool = True, dropout: float = 0.0, recurrent_dropout: float = 0.0, **kwargs):
        cell = LSTMCell(name="lstm_cell", dtype=kwargs.get("dtype"), **cell_arguments(locals(), kwargs))
        super().__init__(cell, **kwargs)
