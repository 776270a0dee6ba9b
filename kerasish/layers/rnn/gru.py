"""GRU: Keras 3's GRU layer and GRUCell (gates z, r, h; reset_after=True bias (2, 3u))."""
from __future__ import annotations

from kerasish import activations
from kerasish.backend.ops.array import getitem
from kerasish.backend.ops.math import add, multiply, subtract
from kerasish.backend.ops.recurrent import gru_seq

from .rnn import RNN, cell_arguments
from .rnn_cell import RecurrentCell, maybe_scale, split_gates


class GRUCell(RecurrentCell):
    """GRU cell. With recurrent dropout the dropped h_{t-1} is used throughout the step, as in Keras 3."""

    gates = 3

    def __init__(self, units: int, activation="tanh", recurrent_activation="sigmoid", reset_after: bool = True,
                 **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after

    def bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def fused_supported(self) -> bool:
        return self.reset_after and (activations.serialize(self.activation),
                                     activations.serialize(self.recurrent_activation)) == ("tanh", "sigmoid")

    def fused(self, x, states, mask, go_backwards):
        hs, h = gru_seq(x, *states, self.kernel, self.recurrent_kernel, self.bias_or_zeros(x.dtype),
                        *([] if mask is None else [mask]), go_backwards=go_backwards)[:2]
        return hs, [h]

    def step(self, x_t, states, recurrent_mask):
        h = maybe_scale(states[0], recurrent_mask)
        u, act, rec = self.units, self.activation, self.recurrent_activation
        if self.reset_after:
            input_bias, recurrent_bias = (None, None) if self.bias is None else (getitem(self.bias, 0), getitem(self.bias, 1))
            xz, xr, xh = split_gates(self.project(x_t, self.kernel, input_bias), 3, u)
            hz, hr, hh = split_gates(self.project(h, self.recurrent_kernel, recurrent_bias), 3, u)
            z, r = rec(add(xz, hz)), rec(add(xr, hr))
            candidate = act(add(xh, multiply(r, hh)))
        else:
            xz, xr, xh = split_gates(self.project(x_t, self.kernel, self.bias), 3, u)
            kz, kr, kh = split_gates(self.recurrent_kernel, 3, u)
            z, r = rec(add(xz, self.project(h, kz))), rec(add(xr, self.project(h, kr)))
            candidate = act(add(xh, self.project(multiply(r, h), kh)))
        h = add(multiply(z, h), multiply(subtract(1.0, z), candidate))
        return h, [h]

    def get_config(self) -> dict:
        return {**super().get_config(), "recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after}


class GRU(RNN):
    """Gated recurrent unit layer (Keras 3 arguments and defaults)."""

    def __init__(self, units: int, activation="tanh", recurrent_activation="sigmoid", use_bias: bool = True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros",
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, reset_after: bool = True, **kwargs):
        cell = GRUCell(name="gru_cell", dtype=kwargs.get("dtype"), **cell_arguments(locals(), kwargs))
        super().__init__(cell, **kwargs)
