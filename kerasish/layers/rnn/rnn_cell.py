"""`RecurrentCell`: the weights and the time loop shared by the LSTM, GRU and SimpleRNN cells.

A cell runs a whole sequence in one of two ways:
- fused: one backend sequence op (`lstm_seq`, `gru_seq`, `simple_rnn_seq`) with its BPTT grad op.
  Used whenever the op supports the configuration (its activations, GRU reset_after=True) and no
  recurrent-dropout mask is applied.
- step by step: the cell's `step` (Keras' cell `call`) applied per time step, built from plain ops
  (a graph unrolled over time, so it needs a known number of time steps). It covers every other
  configuration: other activations, GRU reset_after=False, recurrent_dropout while training.
Both follow Keras' masking: a masked step carries the previous states and outputs the previous
output (zero before the sample's first unmasked step).
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from kerasish import activations, initializers
from kerasish.backend.ops.array import getitem, stack
from kerasish.backend.ops.math import add, matmul, multiply, subtract, zeros_like
from kerasish.layers.layer import Layer


class RecurrentCell(Layer):
    """Base of the recurrent cells: kernel (in, G*u), recurrent_kernel (u, G*u), bias."""

    gates = 1
    n_states = 1

    def __init__(self, units: int, activation="tanh", use_bias: bool = True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout: float = 0.0, recurrent_dropout: float = 0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"{type(self).__name__}: `units` must be a positive integer, got {units!r}")
        for arg, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0.0 <= rate < 1.0:
                raise ValueError(f"{type(self).__name__}: `{arg}` must be in [0, 1), got {rate}")
        for arg, value in (("kernel_constraint", kernel_constraint), ("recurrent_constraint", recurrent_constraint),
                           ("bias_constraint", bias_constraint)):
            if value is not None:
                raise NotImplementedError(f"{type(self).__name__}: `{arg}` is not supported")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.recurrent_regularizer = recurrent_regularizer
        self.bias_regularizer = bias_regularizer
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed

    @property
    def state_size(self) -> list:
        return [self.units] * self.n_states

    # ---- weights ----------------------------------------------------------------------
    def build(self, input_shape):
        in_dim = input_shape[-1]
        if in_dim is None:
            raise ValueError(f"layer '{self.name}' needs a known last input dimension, got input shape {input_shape}")
        width = self.gates * self.units
        self.kernel = self.add_weight((in_dim, width), self.kernel_initializer, name="kernel",
                                      regularizer=self.kernel_regularizer)
        self.recurrent_kernel = self.add_weight((self.units, width), self.recurrent_initializer,
                                                name="recurrent_kernel", regularizer=self.recurrent_regularizer)
        self.bias = self.add_weight(self.bias_shape(), self.bias_init(), name="bias",
                                    regularizer=self.bias_regularizer) if self.use_bias else None
        self.built = True

    def bias_shape(self) -> tuple:
        return (self.gates * self.units,)

    def bias_init(self):
        return self.bias_initializer

    def bias_or_zeros(self, dtype):
        """The bias, or zeros of its shape (the fused ops always take a bias)."""
        return self.bias if self.bias is not None else np.zeros(self.bias_shape(), dtype)

    # ---- running a sequence -----------------------------------------------------------
    def fused_supported(self) -> bool:
        """Whether the backend sequence op implements this configuration."""
        raise NotImplementedError

    def fused(self, x, states: list, mask, go_backwards: bool):
        """(hs, final states) from the backend sequence op; `mask` is float (batch, time) or None."""
        raise NotImplementedError

    def step(self, x_t, states: list, recurrent_mask):
        """One step (Keras' cell call): (output, new states). `recurrent_mask` scales h_{t-1} or is None."""
        raise NotImplementedError

    def sequence(self, x, states: list, mask=None, go_backwards: bool = False, recurrent_mask=None):
        """Run the cell over `x` (batch, time, features): (hs in processing order, final states)."""
        if recurrent_mask is None and self.fused_supported():
            return self.fused(x, states, mask, go_backwards)
        return self._unrolled(x, states, mask, go_backwards, recurrent_mask)

    def _unrolled(self, x, states: list, mask, go_backwards: bool, recurrent_mask):
        time = x.shape[1]
        if time is None:
            raise ValueError(f"layer '{self.name}': this configuration runs step by step and needs a known number "
                             f"of time steps, got input shape {tuple(x.shape)}")
        output = zeros_like(states[0])
        outputs = []
        for t in (reversed(range(time)) if go_backwards else range(time)):
            new_output, new_states = self.step(getitem(x, (slice(None), t)), states, recurrent_mask)
            if mask is not None:
                m = getitem(mask, (slice(None), slice(t, t + 1)))
                new_output = _blend(m, new_output, output)
                new_states = [_blend(m, new, old) for new, old in zip(new_states, states)]
            output, states = new_output, new_states
            outputs.append(output)
        return stack(outputs, axis=1), list(states)

    def project(self, inputs, kernel, bias=None):
        """inputs @ kernel (+ bias)."""
        y = matmul(inputs, kernel)
        return y if bias is None else add(y, bias)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
                "kernel_constraint": None, "recurrent_constraint": None, "bias_constraint": None,
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


def _blend(mask, new, old):
    """new where mask is 1, old where it is 0 (exact for 0/1 masks)."""
    return add(multiply(mask, new), multiply(subtract(1.0, mask), old))


def split_gates(z, n: int, units: int) -> Sequence:
    """The n gate blocks (each `units` wide) of the last axis of z."""
    return [getitem(z, (Ellipsis, slice(i * units, (i + 1) * units))) for i in range(n)]


def maybe_scale(h, mask: Optional[object]):
    return h if mask is None else multiply(h, mask)
