"""NN kernels (softmax, cross-entropies, dropout, norms, embeddings) against Keras fixtures and NumPy.

Loss fixtures: Keras reduces per-example losses with sum_over_batch_size (mean over the batch).
Only the cases that map onto these ops are checked here; the Keras loss layer needs, for the rest
(eps = 1e-7, clip's gradient is 0 outside [eps, 1 - eps], "mean_-1" = mean over the last axis):
  binary_crossentropy_probs(_edge): p = clip(p, eps, 1-eps); mean_-1(-(y log p + (1-y) log(1-p)))
  binary_crossentropy_probs_ls0.1: the same with y = y * (1 - ls) + 0.5 * ls
  categorical_crossentropy_probs(_unnormalized): p = clip(p / sum_-1(p), eps, 1-eps); -sum_-1(y log p)
  categorical_crossentropy_probs_ls0.1: the same with y = y * (1 - ls) + ls / num_classes
  sparse_categorical_crossentropy_probs: sparse_softmax_cross_entropy(y, log(clip(p, eps, 1-eps))) (tested)
  kl_divergence: y, p = clip(y, eps, 1), clip(p, eps, 1); sum_-1(y log(y / p))
  mean_squared_error / mean_absolute_error: mean_-1((y - p)**2) / mean_-1(|y - p|)
  huber (delta=1): e = |p - y|; mean_-1(where(e <= delta, e**2 / 2, delta * e - delta**2 / 2))
"""
import json
from pathlib import Path

import numpy as np
import pytest

from kerasish.backend.device import get_device
from kerasish.backend.errors import GraphError
from kerasish.backend.graph import TensorSpec
from kerasish.backend.ops import nn
from kerasish.backend.registry import OPS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "keras_reference"
RTOL, ATOL = 1e-5, 1e-6
EPS = 1e-7


def kernel(name):
    return get_device().kernel(name)


def load(part, case):
    return dict(np.load(FIXTURES / part / f"{case}.npz"))


def close(actual, expected, rtol=RTOL, atol=ATOL):
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


# ---- Keras layer fixtures ---------------------------------------------------------------------
def test_activation_softmax_fixture():
    d = load("layers", "activation_softmax")
    y = kernel("softmax")(d["x0"], axis=-1)
    close(y, d["y"])
    close(kernel("softmax_grad")(d["R"], y, axis=-1), d["gx0"])


# (case, momentum, epsilon) as in layers/manifest.json
BN_TRAINING = [("batchnorm_training_4d", 0.99, 1e-3), ("batchnorm_training_2d_momentum", 0.9, 1e-5)]
BN_INFERENCE = ["batchnorm_inference_4d", "batchnorm_inference_2d"]


@pytest.mark.parametrize("case,momentum,epsilon", BN_TRAINING)
def test_batch_norm_training_fixture(case, momentum, epsilon):
    d = load("layers", case)
    x, gamma, beta = d["x0"], d["w0"], d["w1"]
    y, mean, var = kernel("batch_norm_train")(x, gamma, beta, axis=-1, epsilon=epsilon)
    close(y, d["y"], atol=1e-5)
    dx, dgamma, dbeta = kernel("batch_norm_train_grad")(d["R"], x, gamma, mean, var, axis=-1, epsilon=epsilon)
    close(dx, d["gx0"], atol=1e-5)
    close(dgamma, d["gw0"], atol=1e-5)
    close(dbeta, d["gw1"], atol=1e-5)
    moving_mean, moving_var = d["w2"].copy(), d["w3"].copy()
    update = kernel("moving_average_update")
    assert update(moving_mean, mean, momentum=momentum) is moving_mean
    update(moving_var, var, momentum=momentum)
    close(moving_mean, d["w2_after"])
    close(moving_var, d["w3_after"])


@pytest.mark.parametrize("case", BN_INFERENCE)
def test_batch_norm_inference_fixture(case):
    d = load("layers", case)
    x, gamma, beta, mean, var = d["x0"], d["w0"], d["w1"], d["w2"], d["w3"]
    close(kernel("batch_norm_infer")(x, mean, var, gamma, beta, axis=-1, epsilon=1e-3), d["y"])
    dx, _, _, dgamma, dbeta = kernel("batch_norm_infer_grad")(d["R"], x, mean, var, gamma, axis=-1, epsilon=1e-3)
    close(dx, d["gx0"])
    close(dgamma, d["gw0"], atol=1e-5)
    close(dbeta, d["gw1"], atol=1e-5)


def test_batch_norm_inference_without_scale_and_center_fixture():
    d = load("layers", "batchnorm_inference_noscale_nocenter")
    x, mean, var = d["x0"], d["w0"], d["w1"]
    ones, zeros = np.ones_like(mean), np.zeros_like(mean)
    close(kernel("batch_norm_infer")(x, mean, var, ones, zeros, axis=-1, epsilon=1e-3), d["y"])
    close(kernel("batch_norm_infer_grad")(d["R"], x, mean, var, ones, axis=-1, epsilon=1e-3)[0], d["gx0"])


@pytest.mark.parametrize("case", ["embedding", "embedding_mask_zero"])
def test_embedding_fixture(case):
    d = load("layers", case)
    close(kernel("embedding_lookup")(d["w0"], d["x0"]), d["y"])
    close(kernel("embedding_grad")(d["x0"], d["R"], d["w0"]), d["gw0"])


# ---- Keras loss fixtures ----------------------------------------------------------------------
def loss_config(case):
    manifest = json.loads((FIXTURES / "losses" / "manifest.json").read_text())
    return next(c["loss"]["config"] for c in manifest["cases"] if c["name"] == case)


@pytest.mark.parametrize("case", ["categorical_crossentropy_logits", "categorical_crossentropy_logits_ls0.1"])
def test_categorical_crossentropy_from_logits_fixture(case):
    d, config = load("losses", case), loss_config(case)
    assert config["from_logits"]
    labels, logits = d["y_true"], d["y_pred"]
    smoothing = config["label_smoothing"]
    labels = (labels * (1 - smoothing) + smoothing / labels.shape[-1]).astype(np.float32)
    per_example, probs = kernel("softmax_cross_entropy")(labels, logits)
    close(per_example.mean(dtype=np.float32), d["loss"])
    dloss = np.full(per_example.shape, 1 / per_example.size, np.float32)
    close(kernel("softmax_cross_entropy_grad")(dloss, probs, labels), d["grad"])


def test_binary_crossentropy_from_logits_fixture():
    d = load("losses", "binary_crossentropy_logits")
    assert loss_config("binary_crossentropy_logits")["from_logits"]
    labels, logits = d["y_true"], d["y_pred"]
    elementwise = kernel("sigmoid_cross_entropy")(labels, logits)
    close(elementwise.mean(axis=-1).mean(), d["loss"])
    sigmoid = 1 / (1 + np.exp(-logits))
    close((sigmoid - labels) / np.float32(labels.size), d["grad"])


def test_sparse_categorical_crossentropy_from_logits_fixture():
    d = load("losses", "sparse_categorical_crossentropy_logits")
    per_example, probs = kernel("sparse_softmax_cross_entropy")(d["y_true"], d["y_pred"])
    close(per_example.mean(dtype=np.float32), d["loss"])
    dloss = np.full(per_example.shape, 1 / per_example.size, np.float32)
    close(kernel("sparse_softmax_cross_entropy_grad")(dloss, probs, d["y_true"]), d["grad"])


def test_sparse_categorical_crossentropy_from_probabilities_fixture():
    """Keras (TF) takes log(clip(p)) as logits; the chain rule adds 1/p inside the clip range."""
    d = load("losses", "sparse_categorical_crossentropy_probs")
    p = d["y_pred"]
    per_example, probs = kernel("sparse_softmax_cross_entropy")(d["y_true"], np.log(np.clip(p, EPS, 1 - EPS)))
    close(per_example.mean(dtype=np.float32), d["loss"])
    dloss = np.full(per_example.shape, 1 / per_example.size, np.float32)
    dlogits = kernel("sparse_softmax_cross_entropy_grad")(dloss, probs, d["y_true"])
    inside = ((p >= EPS) & (p <= 1 - EPS)).astype(np.float32)
    close(dlogits / p * inside, d["grad"])


# ---- numerical stability and dtypes -----------------------------------------------------------
def test_softmax_family_is_stable_for_huge_logits():
    x = np.array([[1e4, 0.0, -1e4], [-1e30, -1e30, -1e30]], np.float32)
    close(kernel("softmax")(x, axis=-1), np.array([[1, 0, 0], [1 / 3] * 3], np.float32))
    close(kernel("log_softmax")(x, axis=-1), np.array([[0, -1e4, -2e4], [-np.log(3)] * 3], np.float32))
    labels = np.array([[0, 1, 0], [1, 0, 0]], np.float32)
    loss, _ = kernel("softmax_cross_entropy")(labels, x)
    close(loss, np.array([1e4, np.log(3)], np.float32))
    sparse_loss, _ = kernel("sparse_softmax_cross_entropy")(np.array([1, 0]), x)
    close(sparse_loss, loss)


def test_sigmoid_cross_entropy_is_stable():
    x = np.array([-200.0, -1.0, 0.0, 3.0, 200.0], np.float32)
    z = np.array([1.0, 0.0, 0.5, 1.0, 0.0], np.float32)
    expected = np.log1p(np.exp(-np.abs(x.astype(np.float64)))) + np.maximum(x, 0) - x * z
    close(kernel("sigmoid_cross_entropy")(z, x), expected.astype(np.float32))


def _float_kernel_calls(dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3)).astype(dtype)
    c = np.ones(3, dtype)
    labels = np.full((4, 3), 1 / 3, dtype)
    ids = np.array([[0, 2], [1, 1]])
    return {
        "softmax": (x,), "log_softmax": (x,), "softmax_grad": (x, x), "l2_normalize": (x,), "l2_normalize_grad": (x, x),
        "softmax_cross_entropy": (labels, x), "sparse_softmax_cross_entropy": (np.array([0, 1, 2, 0]), x),
        "softmax_cross_entropy_grad": (x[:, 0], x, labels),
        "sparse_softmax_cross_entropy_grad": (x[:, 0], x, np.array([0, 1, 2, 0])),
        "sigmoid_cross_entropy": (labels, x), "batch_norm_train": (x, c, c), "batch_norm_train_grad": (x, x, c, c, c),
        "batch_norm_infer": (x, c, c, c, c), "batch_norm_infer_grad": (x, x, c, c, c), "layer_norm": (x, c, c),
        "layer_norm_grad": (x, x, c), "embedding_lookup": (x, ids), "embedding_grad": (ids, x[:4].reshape(2, 2, 3), x),
    }


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernels_keep_the_float_dtype(dtype):
    for name, args in _float_kernel_calls(dtype).items():
        attrs = OPS[name].complete_attrs({})
        out = kernel(name)(*args, **attrs)
        for array in out if isinstance(out, tuple) else (out,):
            assert array.dtype == dtype, name
    y, mask = kernel("dropout")(np.ones((3, 3), dtype), rate=0.5, noise_shape=None, rng=np.random.default_rng(0))
    assert y.dtype == mask.dtype == dtype


# ---- dropout ------------------------------------------------------------------------------------
def test_dropout_scales_kept_units_and_keeps_the_rate():
    x = np.random.default_rng(1).standard_normal((200, 500)).astype(np.float32)
    y, mask = kernel("dropout")(x, rate=0.3, noise_shape=None, rng=np.random.default_rng(5))
    assert set(np.unique(mask)) <= {0.0, np.float32(1 / 0.7)}
    np.testing.assert_array_equal(y, x * mask)
    assert abs((mask > 0).mean() - 0.7) < 0.01
    again, _ = kernel("dropout")(x, rate=0.3, noise_shape=None, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(again, y)


def test_dropout_noise_shape_and_zero_rate():
    x = np.ones((4, 6, 3), np.float32)
    y, mask = kernel("dropout")(x, rate=0.5, noise_shape=(None, 1, 3), rng=np.random.default_rng(0))
    assert mask.shape == (4, 1, 3)
    np.testing.assert_array_equal(y, np.broadcast_to(mask, x.shape))
    y, mask = kernel("dropout")(x, rate=0.0, noise_shape=None, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(y, x)


# ---- layer norm and l2 normalisation --------------------------------------------------------------
def test_layer_norm_matches_the_definition():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 5)).astype(np.float32) * 4 + 10
    gamma, beta = rng.standard_normal(5).astype(np.float32), rng.standard_normal(5).astype(np.float32)
    x64 = x.astype(np.float64)
    mean, var = x64.mean(-1, keepdims=True), x64.var(-1, keepdims=True)
    expected = (x64 - mean) / np.sqrt(var + 1e-3) * gamma + beta
    close(kernel("layer_norm")(x, gamma, beta, axis=-1, epsilon=1e-3), expected.astype(np.float32), atol=1e-5)


def test_l2_normalize_matches_tf_and_handles_zero_vectors():
    x = np.array([[3.0, 4.0], [0.0, 0.0]], np.float32)
    close(kernel("l2_normalize")(x, axis=-1, epsilon=1e-12), np.array([[0.6, 0.8], [0.0, 0.0]], np.float32))
    dx = kernel("l2_normalize_grad")(np.ones_like(x), x, axis=-1, epsilon=1e-12)
    assert np.isfinite(dx).all()


# ---- embeddings and one-hot -------------------------------------------------------------------
def test_embedding_rejects_out_of_range_ids_clearly():
    params = np.zeros((10, 2), np.float32)
    with pytest.raises(IndexError, match=r"\[0, 10\).*input_dim=10.*\[0, 12\]"):
        kernel("embedding_lookup")(params, np.array([[1, 12], [0, 3]]))
    with pytest.raises(IndexError, match="embedding id -1"):
        kernel("embedding_lookup")(params, np.array([-1, 3]))


def test_embedding_grad_sums_duplicate_ids():
    rng = np.random.default_rng(3)
    params = np.zeros((50, 4), np.float32)
    ids = rng.integers(0, 8, (6, 7))
    dy = rng.standard_normal((6, 7, 4)).astype(np.float32)
    expected = np.zeros((50, 4), np.float64)
    np.add.at(expected, ids.ravel(), dy.reshape(-1, 4))
    close(kernel("embedding_grad")(ids, dy, params), expected.astype(np.float32))
    empty = kernel("embedding_grad")(np.zeros((0, 3), np.int32), np.zeros((0, 3, 4), np.float32), params)
    close(empty, np.zeros_like(params))


def test_one_hot():
    out = kernel("one_hot")(np.array([[0, 2], [3, -1]]), depth=3, dtype="float32")
    expected = np.array([[[1, 0, 0], [0, 0, 1]], [[0, 0, 0], [0, 0, 0]]], np.float32)
    close(out, expected)
    assert nn.one_hot(np.array([1]), 2, dtype="int32").dtype == np.int32


def test_sparse_labels_out_of_range_raise():
    with pytest.raises(IndexError, match=r"label 3 .*\[0, 3\)"):
        kernel("sparse_softmax_cross_entropy")(np.array([0, 3]), np.zeros((2, 3), np.float32))


def test_moving_average_update_writes_in_place():
    var = np.array([1.0, 2.0], np.float32)
    out = kernel("moving_average_update")(var, np.array([3.0, 4.0], np.float32), momentum=0.75)
    assert out is var
    close(var, np.array([1.5, 2.5], np.float32))


# ---- shape inference and eager calls ------------------------------------------------------------
F32, I32 = np.dtype("float32"), np.dtype("int32")


def infer(name, *specs, **attrs):
    op = OPS[name]
    return [(s.shape, s.dtype) for s in op.infer_specs([TensorSpec(*s) for s in specs], op.complete_attrs(attrs))]


def test_shape_inference_keeps_unknown_batch():
    assert infer("softmax_cross_entropy", ((None, 5), F32), ((None, 5), F32)) == [((None,), F32), ((None, 5), F32)]
    assert infer("sparse_softmax_cross_entropy", ((None, 7), I32), ((4, None, 5), F32)) == [((4, 7), F32), ((4, 7, 5), F32)]
    assert infer("batch_norm_train", ((None, 8, 8, 3), F32), ((3,), F32), ((3,), F32))[1:] == [((3,), F32)] * 2
    assert infer("dropout", ((None, 4), F32), rate=0.5, noise_shape=(None, 1)) == [((None, 4), F32), ((None, 1), F32)]
    assert infer("embedding_lookup", ((100, 16), F32), ((None, 12), I32)) == [((None, 12, 16), F32)]
    assert infer("layer_norm", ((None, 3, 4), F32), ((3, 4), F32), ((3, 4), F32), axis=(1, 2)) == [((None, 3, 4), F32)]
    assert infer("one_hot", ((None,), I32), depth=4) == [((None, 4), F32)]


@pytest.mark.parametrize("name,specs,attrs,message", [
    ("softmax_cross_entropy", [((2, 5), F32), ((2, 4), F32)], {}, "must be equal"),
    ("sparse_softmax_cross_entropy", [((2,), F32), ((2, 4), F32)], {}, "integer"),
    ("sparse_softmax_cross_entropy", [((3,), I32), ((2, 4), F32)], {}, "without the class axis"),
    ("batch_norm_train", [((2, 4), F32), ((3,), F32), ((4,), F32)], {}, r"gamma of shape \(3,\)"),
    ("batch_norm_infer", [((2, 4, 3), F32)] + [((3,), F32)] * 4, {"axis": 1}, "mean of shape"),
    ("layer_norm", [((2, 4), F32), ((2,), F32), ((4,), F32)], {}, "expected"),
    ("embedding_lookup", [((10, 4), F32), ((3,), F32)], {}, "integer"),
    ("embedding_lookup", [((10,), F32), ((3,), I32)], {}, "input_dim, output_dim"),
    ("dropout", [((3,), F32)], {"rate": 1.0}, r"\[0, 1\)"),
    ("softmax", [((3,), F32)], {"axis": 2}, "out of range"),
    ("moving_average_update", [((3,), F32), ((4,), F32)], {"momentum": 0.9}, "must be equal"),
])
def test_bad_inputs_get_clear_errors(name, specs, attrs, message):
    with pytest.raises(GraphError, match=message):
        infer(name, *specs, **attrs)


def test_eager_calls_run_the_kernels():
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    np.testing.assert_allclose(nn.softmax(x).sum(), 1.0, rtol=1e-6)
    loss, probs = nn.sparse_softmax_cross_entropy(np.array([2]), x)
    np.testing.assert_allclose(loss, -np.log(probs[0, 2]), rtol=1e-6)
    y, mean, var = nn.batch_norm_train(x.T, np.ones(1, np.float32), np.zeros(1, np.float32))
    np.testing.assert_allclose([mean[0], var[0]], [2.0, 2 / 3], rtol=1e-6)
