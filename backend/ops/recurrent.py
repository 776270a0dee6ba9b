"""Whole-sequence recurrent ops (LSTM, GRU, SimpleRNN) with Keras 3 semantics and weight layouts.

Each op runs the full time loop in one kernel: the input projection of all steps is one GEMM,
each step one recurrent GEMM. The backward pass (BPTT) is one grad op per cell that reads the
workspace outputs of the forward op (activated gates, carried states).

Common conventions (all three ops):
- `x` is batch-major `(batch, time, features)`; `kernel` `(features, G*units)`,
  `recurrent_kernel` `(units, G*units)` with G = 4 (LSTM, gates i,f,c,o), 3 (GRU, gates z,r,h),
  1 (SimpleRNN). The optional last input `mask` `(batch, time)` (float 0/1 or bool) marks the
  steps used; a masked step carries the previous state (Keras semantics).
- `go_backwards=True` processes time in reverse. `hs` `(batch, time, units)` is in processing
  order (reversed time when go_backwards, as Keras returns it): reverse it along axis 1 to
  align a backward layer with a forward one (Bidirectional).
- A masked step outputs the previous output (Keras zero_output_for_mask=False); before the first
  unmasked step of a sample that output is zero, as in Keras. So `hs[:, -1]` is Keras'
  `return_sequences=False` output, `hs` its `return_sequences=True` output, and the final
  states (`h`, `c`) are Keras' `return_state` states. For Bidirectional with a mask (Keras forces
  zero_output_for_mask=True there), multiply `hs` by the (processing-order) mask.
- Workspace outputs (time-major, processing order) exist only for the grad op; their gradient
  is taken as zero.
"""
from __future__ import annotations

from typing import Optional

from .. import dtypes
from ..graph import TensorSpec
from ..registry import ShapeError, define_op
from ._shapes import dims_match
from .math import zeros_like

ACTIVATIONS = ("tanh", "relu")


def _plus_one(n: Optional[int]) -> Optional[int]:
    return None if n is None else n + 1


def _check_mask(op: str, x, mask) -> None:
    if mask is None:
        return
    if len(mask.shape) != 2 or not all(dims_match(a, b) for a, b in zip(mask.shape, x.shape[:2])):
        raise ShapeError(f"{op}: mask must have shape (batch, time) = {x.shape[:2]}, got {mask.shape}")
    if not (dtypes.is_float(mask.dtype) or mask.dtype == dtypes.bool_):
        raise ShapeError(f"{op}: mask must be float 0/1 or bool, got {mask.dtype.name}")


def _check_weights(op: str, x, kernel, recurrent_kernel, gates: int) -> int:
    """Validate x and the two weight matrices; return the number of units."""
    if len(x.shape) != 3:
        raise ShapeError(f"{op} needs x of shape (batch, time, features), got {x.shape}")
    if not dtypes.is_float(x.dtype):
        raise ShapeError(f"{op} needs a floating-point x, got {x.dtype.name}")
    if len(recurrent_kernel.shape) != 2 or recurrent_kernel.shape[0] is None:
        raise ShapeError(f"{op}: recurrent_kernel must be (units, {gates}*units), got {recurrent_kernel.shape}")
    units = recurrent_kernel.shape[0]
    width = gates * units
    if recurrent_kernel.shape[1] != width:
        raise ShapeError(f"{op}: recurrent_kernel must be (units, {gates}*units) = ({units}, {width}), got {recurrent_kernel.shape}")
    if len(kernel.shape) != 2 or not dims_match(kernel.shape[0], x.shape[2]) or kernel.shape[1] != width:
        raise ShapeError(f"{op}: kernel must be (features, {gates}*units) = ({x.shape[2]}, {width}), got {kernel.shape}")
    for spec in (kernel, recurrent_kernel):
        if spec.dtype != x.dtype:
            raise ShapeError(f"{op}: weights must have the dtype of x ({x.dtype.name}), got {spec.dtype.name}")
    return units


def _check_states(op: str, x, states, units: int) -> None:
    for spec in states:
        if len(spec.shape) != 2 or not dims_match(spec.shape[0], x.shape[0]) or spec.shape[1] != units:
            raise ShapeError(f"{op}: states must be (batch, units) = ({x.shape[0]}, {units}), got {spec.shape}")
        if spec.dtype != x.dtype:
            raise ShapeError(f"{op}: states must have the dtype of x ({x.dtype.name}), got {spec.dtype.name}")


def _forward_infer(op: str, gates: int, n_states: int, bias_rows: int, workspace):
    """Inference for a forward op: inputs (x, *states, kernel, recurrent_kernel, bias[, mask]).

    `workspace(batch, time, units)` lists the shapes of the workspace outputs."""
    def infer(x, *rest, **_attrs):
        if len(rest) not in (n_states + 3, n_states + 4):
            raise ShapeError(f"{op} takes {n_states + 4} or {n_states + 5} inputs, got {len(rest) + 1}")
        states, (kernel, recurrent_kernel, bias), mask = rest[:n_states], rest[n_states:n_states + 3], rest[n_states + 3:]
        units = _check_weights(op, x, kernel, recurrent_kernel, gates)
        _check_states(op, x, states, units)
        bias_shape = (gates * units,) if bias_rows == 1 else (bias_rows, gates * units)
        if tuple(bias.shape) != bias_shape or bias.dtype != x.dtype:
            raise ShapeError(f"{op}: bias must be {bias_shape} {x.dtype.name}, got {bias.shape} {bias.dtype.name}")
        _check_mask(op, x, mask[0] if mask else None)
        batch, time = x.shape[0], x.shape[1]
        outs = [(batch, time, units)] + [(batch, units)] * n_states + list(workspace(batch, time, units))
        return [TensorSpec(shape, x.dtype) for shape in outs]
    return infer


def _grad_infer(op: str, gates: int, n_states: int, n_workspace: int, bias_rows: int):
    """Inference for a grad op: inputs (x, kernel, recurrent_kernel, *workspace, dhs, *dstates[, mask])."""
    def infer(x, kernel, recurrent_kernel, *rest, **_attrs):
        units = _check_weights(op, x, kernel, recurrent_kernel, gates)
        dstates = rest[n_workspace + 1:n_workspace + 1 + n_states]
        _check_states(op, x, dstates, units)
        _check_mask(op, x, rest[-1] if len(rest) > n_workspace + 1 + n_states else None)
        bias_shape = (gates * units,) if bias_rows == 1 else (bias_rows, gates * units)
        shapes = [x.shape] + [spec.shape for spec in dstates] + [kernel.shape, recurrent_kernel.shape, bias_shape]
        return [TensorSpec(shape, x.dtype) for shape in shapes]
    return infer


def _define_grad(forward, grad_op, n_states: int, n_workspace: int) -> None:
    """Wire forward's gradient to grad_op; missing output grads become zeros."""
    @forward.gradient
    def _(node, dhs, *output_grads):
        x, kernel, recurrent_kernel = node.inputs[0], node.inputs[n_states + 1], node.inputs[n_states + 2]
        mask = node.inputs[n_states + 4:]
        outputs = node.outputs
        seq_grads = [g if g is not None else zeros_like(o) for g, o in zip((dhs,) + output_grads[:n_states], outputs)]
        workspace = outputs[1 + n_states:]
        grads = grad_op(x, kernel, recurrent_kernel, *workspace, seq_grads[0], *seq_grads[1:], *mask, **node.attrs)
        return list(grads) + [None] * len(mask)


def _lstm_workspace(batch, time, units):
    return [(time, batch, 5 * units), (_plus_one(time), batch, 2 * units)]


def _gru_workspace(batch, time, units):
    return [(time, batch, 4 * units), (_plus_one(time), batch, units)]


def _simple_workspace(batch, time, units):
    return [(_plus_one(time), batch, units)]


def _simple_infer(infer):
    """Add the activation check of the SimpleRNN ops."""
    def checked(*specs, go_backwards, activation):
        if activation not in ACTIVATIONS:
            raise ShapeError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        return infer(*specs)
    return checked


lstm_seq = define_op("lstm_seq", _forward_infer("lstm_seq", 4, 2, 1, _lstm_workspace), attrs={"go_backwards": False})
lstm_seq.__doc__ = """LSTM over a whole sequence (Keras LSTM, tanh / sigmoid, gates i,f,c,o).

Inputs: x (batch, time, in), h0 (batch, u), c0 (batch, u), kernel (in, 4u), recurrent_kernel (u, 4u),
bias (4u,), optional mask (batch, time). Attr go_backwards.
Outputs: hs (batch, time, u) in processing order, h (batch, u) and c (batch, u) final states,
workspace gates (time, batch, 5u) = activated i,f,c,o and tanh(c_t), and states (time+1, batch, 2u)
carried [h, c] (row 0 the initial states).
"""
lstm_seq_grad = define_op("lstm_seq_grad", _grad_infer("lstm_seq_grad", 4, 2, 2, 1), attrs={"go_backwards": False},
                          differentiable=False)
lstm_seq_grad.__doc__ = """BPTT of lstm_seq.

Inputs: x, kernel, recurrent_kernel, gates, states, dhs, dh, dc, optional mask.
Outputs: dx, dh0, dc0, dkernel, drecurrent_kernel, dbias."""
_define_grad(lstm_seq, lstm_seq_grad, 2, 2)

gru_seq = define_op("gru_seq", _forward_infer("gru_seq", 3, 1, 2, _gru_workspace), attrs={"go_backwards": False})
gru_seq.__doc__ = """GRU over a whole sequence (Keras GRU, reset_after=True, gates z,r,h).

h_t = z * h_{t-1} + (1 - z) * tanh(x W_h + b_in,h + r * (h_{t-1} U_h + b_rec,h)).
Inputs: x (batch, time, in), h0 (batch, u), kernel (in, 3u), recurrent_kernel (u, 3u),
bias (2, 3u) (row 0 input bias, row 1 recurrent bias), optional mask (batch, time). Attr go_backwards.
Outputs: hs (batch, time, u) in processing order, h (batch, u) final state, workspace gates
(time, batch, 4u) = [z, r, candidate, h_{t-1} U_h + b_rec,h] and states (time+1, batch, u) carried h
(row 0 the initial state).
"""
gru_seq_grad = define_op("gru_seq_grad", _grad_infer("gru_seq_grad", 3, 1, 2, 2), attrs={"go_backwards": False},
                         differentiable=False)
gru_seq_grad.__doc__ = """BPTT of gru_seq.

Inputs: x, kernel, recurrent_kernel, gates, states, dhs, dh, optional mask.
Outputs: dx, dh0, dkernel, drecurrent_kernel, dbias (2, 3u)."""
_define_grad(gru_seq, gru_seq_grad, 1, 2)

simple_rnn_seq = define_op("simple_rnn_seq", _simple_infer(_forward_infer("simple_rnn_seq", 1, 1, 1, _simple_workspace)),
                           attrs={"go_backwards": False, "activation": "tanh"})
simple_rnn_seq.__doc__ = """SimpleRNN over a whole sequence: h_t = act(x W + h_{t-1} U + b).

Inputs: x (batch, time, in), h0 (batch, u), kernel (in, u), recurrent_kernel (u, u), bias (u,),
optional mask (batch, time). Attrs go_backwards, activation ('tanh' or 'relu').
Outputs: hs (batch, time, u) in processing order, h (batch, u) final state,
workspace states (time+1, batch, u) carried h (row 0 the initial state).
"""
simple_rnn_seq_grad = define_op("simple_rnn_seq_grad", _simple_infer(_grad_infer("simple_rnn_seq_grad", 1, 1, 1, 1)),
                                attrs={"go_backwards": False, "activation": "tanh"}, differentiable=False)
simple_rnn_seq_grad.__doc__ = """BPTT of simple_rnn_seq.

Inputs: x, kernel, recurrent_kernel, states, dhs, dh, optional mask.
Outputs: dx, dh0, dkernel, drecurrent_kernel, dbias."""
_define_grad(simple_rnn_seq, simple_rnn_seq_grad, 1, 1)
