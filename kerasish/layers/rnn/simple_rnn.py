"""SimpleRNN: Keras 3's SimpleRNN layer and SimpleRNNCell, h_t = act(x_t W + h_{t-1} U + b)."""
from __future__ import annotations

from kerasish import activations
from kerasish.backend.ops.math import add
from kerasish.backend.ops.recurrent import ACTIVATIONS, simple_rnn_seq

from .rnn import RNN, cell_arguments
from .rnn_cell import RecurrentCell, maybe_scale


class SimpleRNNCell(RecurrentCell):
    def fused_supported(self) -> bool:
        return activations.serialize(self.activation) in ACTIVATIONS

    def fused(self, x, states, mask, go_backwards):
        hs, h = simple_rnn_seq(x, *states, self.kernel, self.recurrent_kernel, self.bias_or_zeros(x.dtype),
                               *([] if mask is None else [mask]), go_backwards=go_backwards,
                               activation=activations.serialize(self.activation))[:2]
        return hs, [h]

    def step(self, x_t, states, recurrent_mask):
        h = self.activation(add(self.project(x_t, self.kernel, self.bias),
                                self.project(maybe_scale(states[0], recurrent_mask), self.recurrent_kernel)))
        return h, [h]


class SimpleRNN(RNN):
    """Fully-connected recurrent layer (Keras 3 arguments and defaults)."""

    def __init__(self, units: int, activation="tanh", use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, **kwargs):
        cell = SimpleRNNCell(name="simple_rnn_cell", dtype=kwargs.get("dtype"), **cell_arguments(locals(), kwargs))
        super().__init__(cell, **kwargs)
