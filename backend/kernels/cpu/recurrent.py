"""NumPy kernels of the whole-sequence recurrent ops and their BPTT.

Layout inside: time-major `(time, batch, ...)` in processing order, so one step is a contiguous
slab. The input projection (forward) and the input/weight gradients (backward) are single GEMMs
over all steps; the loop over time does one recurrent GEMM and a few elementwise ops per step.
Steps masked for the whole batch are skipped.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from .table import register


class _Steps:
    """Processing order and masks of one call: `keep[s]` (batch, 1) says which rows step s updates,
    `seen[s]` which rows had an unmasked step up to s (their output is not the zero fill)."""

    def __init__(self, mask: Optional[np.ndarray], time: int, go_backwards: bool):
        self.keep = self.seen = None
        self.active = [True] * time
        if mask is not None:
            keep = _time_major(mask > 0.5, go_backwards)[..., None]
            if not keep.all():
                self.keep = keep
                self.seen = np.logical_or.accumulate(keep, axis=0)
                self.active = keep.any(axis=(1, 2)).tolist()

    def blend(self, s: int, new: np.ndarray, old: np.ndarray) -> np.ndarray:
        """The carried value after step s: `new` where the row is unmasked, else `old`."""
        return new if self.keep is None else np.where(self.keep[s], new, old)

    def outputs(self, carried_h: np.ndarray) -> np.ndarray:
        """hs (batch, time, u) in processing order from carried h (time, batch, u)."""
        hs = carried_h.swapaxes(0, 1)
        return np.ascontiguousarray(hs) if self.seen is None else hs * self.seen.swapaxes(0, 1)

    def output_grads(self, dhs: np.ndarray) -> np.ndarray:
        """d loss / d carried h from the hs gradient, time-major."""
        g = dhs.swapaxes(0, 1)
        return g if self.seen is None else g * self.seen

    def mask_step(self, s: int, dpre: np.ndarray, dh: np.ndarray, direct: np.ndarray) -> np.ndarray:
        """Zero the pre-activation grads of masked rows; return the part of dh_{s-1} not through
        the recurrent GEMM (`direct` for unmasked rows, the whole `dh` for masked ones)."""
        if self.keep is None:
            return direct
        dpre *= self.keep[s]
        return np.where(self.keep[s], direct, dh)


def _time_major(a: np.ndarray, go_backwards: bool) -> np.ndarray:
    a = a.swapaxes(0, 1)
    return np.ascontiguousarray(a[::-1] if go_backwards else a)


def _batch_major(a: np.ndarray, go_backwards: bool) -> np.ndarray:
    return np.ascontiguousarray((a[::-1] if go_backwards else a).swapaxes(0, 1))


def _project(x_tm: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """x @ kernel + bias for all steps at once: (time, batch, in) -> (time, batch, n)."""
    time, batch, features = x_tm.shape
    out = x_tm.reshape(-1, features) @ kernel
    out += bias
    return out.reshape(time, batch, -1)


def _weight_grads(dpre: np.ndarray, drec: np.ndarray, x_tm: np.ndarray, carried_h: np.ndarray,
                  kernel: np.ndarray, go_backwards: bool) -> tuple:
    """dx, dkernel, drecurrent_kernel as single GEMMs over all steps.

    dpre: grads of the input-side pre-activations, drec: of the recurrent-side ones, both
    (time, batch, n); carried_h: h_{s-1} for each step (time, batch, u)."""
    flat = dpre.reshape(-1, dpre.shape[-1])
    dx = (flat @ kernel.T).reshape(x_tm.shape)
    dkernel = x_tm.reshape(-1, x_tm.shape[-1]).T @ flat
    drecurrent = carried_h.reshape(-1, carried_h.shape[-1]).T @ drec.reshape(-1, drec.shape[-1])
    return _batch_major(dx, go_backwards), dkernel, drecurrent


def _sigmoid_(a: np.ndarray) -> np.ndarray:
    """In-place logistic sigmoid; exp(-a) may overflow to inf, which gives the right 0."""
    np.negative(a, out=a)
    with np.errstate(over="ignore"):
        np.exp(a, out=a)
    a += 1
    return np.reciprocal(a, out=a)


# ---- LSTM ----------------------------------------------------------------------------
@register("lstm_seq")
def lstm_seq(x, h0, c0, kernel, recurrent_kernel, bias, mask=None, go_backwards=False):
    steps = _Steps(mask, x.shape[1], go_backwards)
    u = h0.shape[-1]
    # tanh(a) = 2 sigmoid(2a) - 1: doubling the c-gate columns lets one sigmoid over the
    # contiguous step block serve all four gates.
    scale = np.ones(4 * u, dtype=x.dtype)
    scale[2 * u:3 * u] = 2
    pre = _project(_time_major(x, go_backwards), kernel * scale, bias * scale)
    recurrent_kernel = recurrent_kernel * scale
    gates = np.zeros(pre.shape[:2] + (5 * u,), dtype=x.dtype)
    states = np.empty((pre.shape[0] + 1, h0.shape[0], 2 * u), dtype=x.dtype)
    states[0, :, :u], states[0, :, u:] = h0, c0
    for s, active in enumerate(steps.active):
        h, c = states[s, :, :u], states[s, :, u:]
        if not active:
            states[s + 1] = states[s]
            continue
        z = pre[s]
        z += h @ recurrent_kernel
        _sigmoid_(z)
        i, f, g, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
        g *= 2
        g -= 1
        c_new = f * c
        c_new += i * g
        tanh_c = np.tanh(c_new)
        gates[s, :, :4 * u], gates[s, :, 4 * u:] = z, tanh_c
        states[s + 1, :, :u] = steps.blend(s, o * tanh_c, h)
        states[s + 1, :, u:] = steps.blend(s, c_new, c)
    last = states[-1]
    return steps.outputs(states[1:, :, :u]), last[:, :u].copy(), last[:, u:].copy(), gates, states


@register("lstm_seq_grad")
def lstm_seq_grad(x, kernel, recurrent_kernel, gates, states, dhs, dh, dc, mask=None, go_backwards=False):
    steps = _Steps(mask, x.shape[1], go_backwards)
    u = dh.shape[-1]
    i, f, g, o, tanh_c = (gates[..., k * u:(k + 1) * u] for k in range(5))
    slope = 1 - gates[..., :4 * u]
    slope *= gates[..., :4 * u]
    np.multiply(g, g, out=slope[..., 2 * u:3 * u])
    np.subtract(1, slope[..., 2 * u:3 * u], out=slope[..., 2 * u:3 * u])
    dseq = steps.output_grads(dhs)
    dpre = np.zeros(gates.shape[:2] + (4 * u,), dtype=gates.dtype)
    recurrent_t = np.ascontiguousarray(recurrent_kernel.T)
    dh, dc = dh.copy(), dc.copy()
    for s in reversed(range(len(steps.active))):
        dh_s = dh + dseq[s]
        if not steps.active[s]:
            dh = dh_s
            continue
        tc = tanh_c[s]
        dc_s = 1 - tc * tc
        dc_s *= o[s]
        dc_s *= dh_s
        dc_s += dc
        d = dpre[s]
        np.multiply(dc_s, g[s], out=d[:, :u])
        np.multiply(dc_s, states[s, :, u:], out=d[:, u:2 * u])
        np.multiply(dc_s, i[s], out=d[:, 2 * u:3 * u])
        np.multiply(dh_s, tc, out=d[:, 3 * u:])
        d *= slope[s]
        direct = steps.mask_step(s, d, dh_s, 0.0)
        dh = d @ recurrent_t + direct
        dc = steps.blend(s, dc_s * f[s], dc)
    dx, dkernel, drecurrent = _weight_grads(dpre, dpre, _time_major(x, go_backwards), states[:-1, :, :u], kernel,
                                            go_backwards)
    return dx, dh, dc, dkernel, drecurrent, dpre.sum(axis=(0, 1))


# ---- GRU (reset_after=True) ------------------------------------------------------------
@register("gru_seq")
def gru_seq(x, h0, kernel, recurrent_kernel, bias, mask=None, go_backwards=False):
    steps = _Steps(mask, x.shape[1], go_backwards)
    u = h0.shape[-1]
    pre = _project(_time_major(x, go_backwards), kernel, bias[0])
    gates = np.zeros(pre.shape[:2] + (4 * u,), dtype=x.dtype)
    states = np.empty((pre.shape[0] + 1,) + h0.shape, dtype=x.dtype)
    states[0] = h0
    for s, active in enumerate(steps.active):
        h = states[s]
        if not active:
            states[s + 1] = h
            continue
        rec = h @ recurrent_kernel
        rec += bias[1]
        zr = _sigmoid_(pre[s, :, :2 * u] + rec[:, :2 * u])
        rec_h = rec[:, 2 * u:]
        cand = zr[:, u:] * rec_h
        cand += pre[s, :, 2 * u:]
        np.tanh(cand, out=cand)
        gates[s, :, :2 * u], gates[s, :, 2 * u:3 * u], gates[s, :, 3 * u:] = zr, cand, rec_h
        states[s + 1] = steps.blend(s, cand + zr[:, :u] * (h - cand), h)
    return steps.outputs(states[1:]), states[-1].copy(), gates, states


@register("gru_seq_grad")
def gru_seq_grad(x, kernel, recurrent_kernel, gates, states, dhs, dh, mask=None, go_backwards=False):
    steps = _Steps(mask, x.shape[1], go_backwards)
    u = dh.shape[-1]
    zr, cand, rec_h = gates[..., :2 * u], gates[..., 2 * u:3 * u], gates[..., 3 * u:]
    z, r = zr[..., :u], zr[..., u:]
    zr_slope = zr * (1 - zr)
    cand_slope = (1 - z) * (1 - cand * cand)
    dseq = steps.output_grads(dhs)
    dpre = np.zeros(gates.shape[:2] + (3 * u,), dtype=gates.dtype)
    drec = np.zeros_like(dpre)
    recurrent_t = np.ascontiguousarray(recurrent_kernel.T)
    dh = dh.copy()
    for s in reversed(range(len(steps.active))):
        dh_s = dh + dseq[s]
        if not steps.active[s]:
            dh = dh_s
            continue
        d, dr = dpre[s], drec[s]
        d[:, 2 * u:] = dh_s * cand_slope[s]
        d[:, :u] = dh_s * (states[s] - cand[s])
        d[:, u:2 * u] = d[:, 2 * u:] * rec_h[s]
        d[:, :2 * u] *= zr_slope[s]
        direct = steps.mask_step(s, d, dh_s, dh_s * z[s])
        dr[:, :2 * u] = d[:, :2 * u]
        np.multiply(d[:, 2 * u:], r[s], out=dr[:, 2 * u:])
        dh = dr @ recurrent_t + direct
    dx, dkernel, drecurrent = _weight_grads(dpre, drec, _time_major(x, go_backwards), states[:-1], kernel,
                                            go_backwards)
    dbias = np.stack([dpre.sum(axis=(0, 1)), drec.sum(axis=(0, 1))])
    return dx, dh, dkernel, drecurrent, dbias


# ---- SimpleRNN ----------------------------------------------------------------------------
def _relu_(a: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0, out=a)


def _tanh_(a: np.ndarray) -> np.ndarray:
    return np.tanh(a, out=a)


_ACTIVATIONS = {
    "tanh": (_tanh_, lambda y: 1 - y * y),
    "relu": (_relu_, lambda y: (y > 0).astype(y.dtype)),
}


@register("simple_rnn_seq")
def simple_rnn_seq(x, h0, kernel, recurrent_kernel, bias, mask=None, go_backwards=False, activation="tanh"):
    steps = _Steps(mask, x.shape[1], go_backwards)
    act = _ACTIVATIONS[activation][0]
    pre = _project(_time_major(x, go_backwards), kernel, bias)
    states = np.empty((pre.shape[0] + 1,) + h0.shape, dtype=x.dtype)
    states[0] = h0
    for s, active in enumerate(steps.active):
        h = states[s]
        if not active:
            states[s + 1] = h
            continue
        a = pre[s]
        a += h @ recurrent_kernel
        states[s + 1] = steps.blend(s, act(a), h)
    return steps.outputs(states[1:]), states[-1].copy(), states


@register("simple_rnn_seq_grad")
def simple_rnn_seq_grad(x, kernel, recurrent_kernel, states, dhs, dh, mask=None, go_backwards=False,
                        activation="tanh"):
    steps = _Steps(mask, x.shape[1], go_backwards)
    slope = _ACTIVATIONS[activation][1](states[1:])
    dseq = steps.output_grads(dhs)
    dpre = np.zeros_like(states[1:])
    recurrent_t = np.ascontiguousarray(recurrent_kernel.T)
    dh = dh.copy()
    for s in reversed(range(len(steps.active))):
        dh_s = dh + dseq[s]
        if not steps.active[s]:
            dh = dh_s
            continue
        d = dpre[s]
        np.multiply(dh_s, slope[s], out=d)
        direct = steps.mask_step(s, d, dh_s, 0.0)
        dh = d @ recurrent_t + direct
    dx, dkernel, drecurrent = _weight_grads(dpre, dpre, _time_major(x, go_backwards), states[:-1], kernel,
                                            go_backwards)
    return dx, dh, dkernel, drecurrent, dpre.sum(axis=(0, 1))
