"""Kernel-level tests of the recurrent ops: Keras fixtures, finite differences, shape inference."""
from pathlib import Path

import numpy as np
import pytest

from kerasish.backend import dtypes
from kerasish.backend.device import get_device
from kerasish.backend.errors import GraphError
from kerasish.backend.graph import Graph, TensorSpec
from kerasish.backend.ops import recurrent

from .gradcases.recurrent import CASES

LAYERS = Path(__file__).resolve().parents[1] / "fixtures" / "keras_reference" / "layers"

# op, number of states, go_backwards, last step only (return_sequences=False)
FIXTURES = {
    "lstm_last": ("lstm_seq", 2, False, True),
    "lstm_seq": ("lstm_seq", 2, False, False),
    "lstm_go_backwards": ("lstm_seq", 2, True, True),
    "lstm_go_backwards_seq": ("lstm_seq", 2, True, False),
    "lstm_last_masked": ("lstm_seq", 2, False, True),
    "lstm_seq_masked": ("lstm_seq", 2, False, False),
    "gru_last": ("gru_seq", 1, False, True),
    "gru_seq": ("gru_seq", 1, False, False),
    "gru_seq_masked": ("gru_seq", 1, False, False),
    "simplernn_last": ("simple_rnn_seq", 1, False, True),
    "simplernn_seq": ("simple_rnn_seq", 1, False, False),
}
N_STATES = {"lstm_seq": 2, "gru_seq": 1, "simple_rnn_seq": 1}


def kernel(name):
    return get_device().kernel(name)


def forward(op, inputs, attrs):
    """Run op; split its outputs into (hs, states, workspace)."""
    outs = kernel(op)(*inputs, **attrs)
    n = N_STATES[op]
    return outs[0], list(outs[1:1 + n]), list(outs[1 + n:])


def backward(op, inputs, attrs, workspace, dhs, dstates):
    """Run op's grad kernel; grads for x, states, kernel, recurrent_kernel, bias."""
    n = N_STATES[op]
    x, (k, rk), mask = inputs[0], inputs[n + 1:n + 3], inputs[n + 4:]
    return kernel(op + "_grad")(x, k, rk, *workspace, dhs, *dstates, *mask, **attrs)


@pytest.mark.parametrize("case", sorted(FIXTURES))
def test_matches_keras(case):
    op, n, go_backwards, last = FIXTURES[case]
    data = np.load(LAYERS / f"{case}.npz")
    x, R = data["x0"], data["R"]
    batch, units = x.shape[0], data["w1"].shape[0]
    inputs = [x] + [np.zeros((batch, units), np.float32)] * n + [data["w0"], data["w1"], data["w2"]]
    if "mask" in data:
        inputs.append(data["mask"].astype(np.float32))
    attrs = {"go_backwards": go_backwards}
    hs, states, workspace = forward(op, inputs, attrs)
    y = hs[:, -1] if last else hs
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, data["y"], rtol=1e-5, atol=1e-6)

    dhs = np.zeros_like(hs)
    if last:
        dhs[:, -1] = R
    else:
        dhs[...] = R
    grads = backward(op, inputs, attrs, workspace, dhs, [np.zeros_like(s) for s in states])
    assert all(g.dtype == np.float32 for g in grads)
    np.testing.assert_allclose(grads[0], data["gx0"], rtol=1e-5, atol=1e-6)
    for k in range(3):
        np.testing.assert_allclose(grads[n + 1 + k], data[f"gw{k}"], rtol=1e-5, atol=1e-6)


def _loss(op, inputs, attrs, weights):
    hs, states, _ = forward(op, inputs, attrs)
    return sum(float(np.sum(a * w)) for a, w in zip([hs] + states, weights))


@pytest.mark.parametrize("op,index", [(op, i) for op, cases in CASES.items() for i in range(len(cases))])
def test_grad_kernel_matches_finite_differences(op, index):
    """The grad kernel against central differences of sum(hs*R0) + sum(h*R1) (+ sum(c*R2))."""
    case = CASES[op][index]
    inputs, attrs = [np.array(a) for a in case["inputs"]], case["attrs"]
    n = N_STATES[op]
    hs, states, workspace = forward(op, inputs, attrs)
    rng = np.random.default_rng(index)
    weights = [rng.normal(size=a.shape) for a in [hs] + states]
    grads = backward(op, inputs, attrs, workspace, weights[0], weights[1:])
    eps = 1e-6
    for pos in range(n + 4):
        numeric = np.zeros_like(inputs[pos])
        for idx in np.ndindex(inputs[pos].shape):
            saved = inputs[pos][idx]
            inputs[pos][idx] = saved + eps
            up = _loss(op, inputs, attrs, weights)
            inputs[pos][idx] = saved - eps
            down = _loss(op, inputs, attrs, weights)
            inputs[pos][idx] = saved
            numeric[idx] = (up - down) / (2 * eps)
        np.testing.assert_allclose(grads[pos], numeric, rtol=1e-6, atol=1e-8, err_msg=f"input {pos}")


def test_masked_output_fill_and_carry():
    """Before a sample's first unmasked step its output is 0; later masked steps repeat the last output
    and carry the state, whatever h0 is."""
    x, h0, k, rk, b, mask = CASES["simple_rnn_seq"][2]["inputs"]
    hs, h, _ = kernel("simple_rnn_seq")(x, h0, k, rk, b, mask)
    np.testing.assert_array_equal(hs[1, 0], 0.0)
    np.testing.assert_array_equal(hs[0, 2], hs[0, 1])
    np.testing.assert_array_equal(h[0], hs[0, 1])
    _, h_all, _ = kernel("simple_rnn_seq")(x[:1, :2], h0[:1], k, rk, b)
    np.testing.assert_allclose(h[0], h_all[0])


def test_all_ones_mask_equals_no_mask():
    x, h0, c0, k, rk, b = CASES["lstm_seq"][0]["inputs"]
    plain = kernel("lstm_seq")(x, h0, c0, k, rk, b, go_backwards=True)
    masked = kernel("lstm_seq")(x, h0, c0, k, rk, b, np.ones(x.shape[:2]), go_backwards=True)
    for a, m in zip(plain, masked):
        np.testing.assert_array_equal(a, m)


def _spec(*shape, dtype=dtypes.float32):
    return TensorSpec(shape, dtype)


def test_infer_unknown_batch_and_time():
    specs = recurrent.lstm_seq.infer_specs(
        [_spec(None, None, 5), _spec(None, 3), _spec(None, 3), _spec(5, 12), _spec(3, 12), _spec(12), _spec(None, None)],
        {"go_backwards": False})
    assert [tuple(s.shape) for s in specs] == [(None, None, 3), (None, 3), (None, 3), (None, None, 15), (None, None, 6)]
    specs = recurrent.gru_seq_grad.infer_specs(
        [_spec(None, 7, 5), _spec(5, 9), _spec(3, 9), _spec(7, None, 12), _spec(8, None, 3), _spec(None, 7, 3),
         _spec(None, 3)], {"go_backwards": False})
    assert [tuple(s.shape) for s in specs] == [(None, 7, 5), (None, 3), (5, 9), (3, 9), (2, 9)]


@pytest.mark.parametrize("specs,message", [
    ([_spec(2, 5), _spec(2, 3), _spec(5, 3), _spec(3, 3), _spec(3)], "x of shape"),
    ([_spec(2, 4, 5), _spec(2, 3), _spec(4, 3), _spec(3, 3), _spec(3)], "kernel must be"),
    ([_spec(2, 4, 5), _spec(2, 3), _spec(5, 3), _spec(3, 4), _spec(3)], "recurrent_kernel must be"),
    ([_spec(2, 4, 5), _spec(2, 2), _spec(5, 3), _spec(3, 3), _spec(3)], "states must be"),
    ([_spec(2, 4, 5), _spec(2, 3), _spec(5, 3), _spec(3, 3), _spec(2, 3)], "bias must be"),
    ([_spec(2, 4, 5), _spec(2, 3), _spec(5, 3), _spec(3, 3), _spec(3), _spec(2, 5)], "mask must have"),
    ([_spec(2, 4, 5), _spec(2, 3), _spec(5, 3, dtype=dtypes.float64), _spec(3, 3), _spec(3)], "dtype of x"),
])
def test_infer_errors_name_the_problem(specs, message):
    with pytest.raises(GraphError, match=message):
        recurrent.simple_rnn_seq.infer_specs(specs, {"go_backwards": False, "activation": "tanh"})


def test_unknown_activation_is_rejected():
    specs = [_spec(2, 4, 5), _spec(2, 3), _spec(5, 3), _spec(3, 3), _spec(3)]
    with pytest.raises(GraphError, match="activation"):
        recurrent.simple_rnn_seq.infer_specs(specs, {"go_backwards": False, "activation": "gelu"})


def test_gradient_builds_grad_op_with_zeros_for_missing_output_grads():
    graph = Graph()
    with graph.as_default():
        shapes = [(None, 4, 3), (None, 2), (None, 2), (3, 8), (2, 8), (8,), (None, 4)]
        feeds = [graph.add_node("placeholder", [], {}, [TensorSpec(s, dtypes.float32)]).outputs[0] for s in shapes]
        hs, h, c, gates, states = recurrent.lstm_seq(*feeds, go_backwards=True)
        grads = recurrent.lstm_seq.grad(hs.node, None, h, None, None, None)
    assert [None if g is None else tuple(g.shape) for g in grads] == [
        (None, 4, 3), (None, 2), (None, 2), (3, 8), (2, 8), (8,), None]
    grad_node = grads[0].node
    assert grad_node.op == "lstm_seq_grad" and grad_node.attrs == {"go_backwards": True}
    assert grad_node.inputs[5].node.op == "zeros_like"
