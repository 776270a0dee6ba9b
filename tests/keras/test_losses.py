"""keras.losses against the Keras 3 reference fixtures (value and gradient), plus reductions,
sample weights, masking, (de)serialisation and lookup."""
import json
from pathlib import Path

import kerasish.backend as B
import numpy as np
import pytest

from kerasish import losses

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "keras_reference" / "losses"
CASES = json.loads((FIXTURES / "manifest.json").read_text())["cases"]


def graph_value_and_grad(loss, y_true: np.ndarray, y_pred: np.ndarray, sample_weight=None):
    """Loss value and d loss / d y_pred from a compiled backend graph with unknown batch size."""
    graph = B.Graph()
    with graph.as_default():
        pred = B.placeholder(y_pred.dtype, (None,) + y_pred.shape[1:])
        true = B.placeholder(y_true.dtype, (None,) + y_true.shape[1:])
        feeds, values = [true, pred], [y_true, y_pred]
        weight = None
        if sample_weight is not None:
            weight = B.placeholder(sample_weight.dtype, (None,) + sample_weight.shape[1:])
            feeds.append(weight)
            values.append(sample_weight)
        value = loss(true, pred, sample_weight=weight)
        grad = B.gradients(value, [pred])[0]
        fn = B.compile([value, grad], feeds)
    return fn(*values)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_keras_reference(case):
    data = np.load(FIXTURES / case["file"])
    loss = losses.deserialize(case["loss"])
    assert type(loss).__name__ == case["loss"]["class_name"]
    assert case["loss"]["config"].items() <= loss.get_config().items()
    value, grad = graph_value_and_grad(loss, data["y_true"], data["y_pred"])
    np.testing.assert_allclose(value, data["loss"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad, data["grad"], rtol=1e-5, atol=1e-6)
    eager = loss(data["y_true"], data["y_pred"])
    assert not isinstance(eager, B.Tensor)
    np.testing.assert_allclose(eager, data["loss"], rtol=1e-5, atol=1e-6)


def test_reductions_and_sample_weights():
    y_true = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0]], np.float32)
    y_pred = np.zeros((3, 2), np.float32)
    per_sample = np.array([0.5, 1.0, 2.0], np.float32)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="none")(y_true, y_pred), per_sample)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="sum")(y_true, y_pred), 3.5)
    np.testing.assert_allclose(losses.MeanSquaredError()(y_true, y_pred), 3.5 / 3)
    weights = np.array([1.0, 0.0, 2.0], np.float32)
    expected = (0.5 + 4.0) / 3
    np.testing.assert_allclose(losses.MeanSquaredError()(y_true, y_pred, sample_weight=weights), expected, rtol=1e-6)
    np.testing.assert_allclose(losses.MeanSquaredError()(y_true, y_pred, sample_weight=weights[:, None]), expected,
                               rtol=1e-6)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="mean_with_sample_weight")(
        y_true, y_pred, sample_weight=weights), 4.5 / 3, rtol=1e-6)
    value, grad = graph_value_and_grad(losses.MeanSquaredError(), y_true, y_pred, weights)
    np.testing.assert_allclose(value, expected, rtol=1e-6)
    np.testing.assert_allclose(grad, -2 * y_true * weights[:, None] / 2 / 3, rtol=1e-6)


def test_sample_weight_broadcasts_per_sample_over_sequence_losses():
    y_true = np.ones((2, 3, 4), np.float32)
    y_pred = np.zeros((2, 3, 4), np.float32)
    y_pred[1] = 1.0
    weights = np.array([2.0, 5.0], np.float32)
    # per-sample losses have shape (2, 3); sum_over_batch_size divides by their 6 elements
    np.testing.assert_allclose(losses.MeanSquaredError()(y_true, y_pred, sample_weight=weights), 2.0 * 3 / 6)


def test_function_forms_and_aliases():
    y_true = np.array([[0.0, 1.0]], np.float32)
    y_pred = np.array([[0.2, 0.6]], np.float32)
    assert losses.mse is losses.mean_squared_error and losses.MAE is losses.mean_absolute_error
    np.testing.assert_allclose(losses.mse(y_true, y_pred), [(0.04 + 0.16) / 2], rtol=1e-6)
    np.testing.assert_allclose(losses.mae(y_true, y_pred), [0.3], rtol=1e-6)
    np.testing.assert_allclose(losses.binary_crossentropy(y_true, y_pred), [-(np.log(0.8) + np.log(0.6)) / 2],
                               rtol=1e-6)
    np.testing.assert_allclose(losses.huber([[0.0, 0.0]], np.array([[0.5, 3.0]], np.float32), delta=1.0),
                               [(0.125 + 2.5) / 2], rtol=1e-6)
    assert losses.sparse_categorical_crossentropy(np.array([1, 0]), np.full((2, 3), 1 / 3, np.float32)).shape == (2,)


def test_label_smoothing_formulas():
    y_true = np.array([[0.0, 1.0, 0.0]], np.float32)
    logits = np.array([[1.0, 2.0, -1.0]], np.float32)
    log_p = logits - np.log(np.sum(np.exp(logits)))
    smoothed = y_true * 0.8 + 0.2 / 3
    np.testing.assert_allclose(losses.categorical_crossentropy(y_true, logits, from_logits=True, label_smoothing=0.2),
                               [-np.sum(smoothed * log_p)], rtol=1e-6)
    probs = np.array([[0.3, 0.7, 0.9]], np.float32)
    t = y_true * 0.8 + 0.1
    np.testing.assert_allclose(losses.binary_crossentropy(y_true, probs, label_smoothing=0.2),
                               [-np.mean(t * np.log(probs) + (1 - t) * np.log(1 - probs))], rtol=1e-6)


def test_categorical_crossentropy_class_axis():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(2, 4, 3)).astype(np.float32)
    labels = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=(2, 3))]  # (2, 3, 4)
    channels_first = np.transpose(labels, (0, 2, 1))
    for from_logits, pred in ((True, logits), (False, np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True))):
        expected = losses.categorical_crossentropy(labels, np.transpose(pred, (0, 2, 1)), from_logits=from_logits)
        got = losses.categorical_crossentropy(channels_first, pred, from_logits=from_logits, axis=1)
        np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_sparse_labels_with_trailing_axis_and_ignore_class():
    probs = np.array([[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]], np.float32)
    labels = np.array([1, 0, 1])
    flat = losses.SparseCategoricalCrossentropy()(labels, probs)
    np.testing.assert_allclose(losses.SparseCategoricalCrossentropy()(labels[:, None], probs), flat, rtol=1e-6)
    masked = np.array([1, -1, 1])
    loss = losses.SparseCategoricalCrossentropy(ignore_class=-1)
    expected = -(np.log(0.8) + np.log(0.5)) / 2
    np.testing.assert_allclose(loss(masked, probs), expected, rtol=1e-5)
    np.testing.assert_allclose(losses.SparseCategoricalCrossentropy(ignore_class=-1, reduction="none")(masked, probs),
                               [-np.log(0.8), 0.0, -np.log(0.5)], rtol=1e-5)
    value, grad = graph_value_and_grad(loss, masked.astype(np.int32), probs)
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    np.testing.assert_array_equal(grad[1], 0.0)


def test_from_logits_is_stable_for_extreme_logits():
    logits = np.array([[200.0, -200.0, 0.0]], np.float32)
    y_true = np.array([[0.0, 1.0, 0.0]], np.float32)
    for loss in (losses.CategoricalCrossentropy(from_logits=True), losses.BinaryCrossentropy(from_logits=True)):
        value, grad = graph_value_and_grad(loss, y_true, logits)
        assert np.isfinite(value) and np.all(np.isfinite(grad))


def test_symbolic_prediction_with_constant_labels():
    graph = B.Graph()
    with graph.as_default():
        pred = B.placeholder("float32", (None, 2))
        value = losses.BinaryCrossentropy()(np.array([[1.0, 0.0]], np.float32), pred)
        assert isinstance(value, B.Tensor) and value.shape == ()
        fn = B.compile([value], [pred])
    np.testing.assert_allclose(fn(np.array([[0.5, 0.5]], np.float32))[0], np.log(2.0), rtol=1e-6)


def test_get_serialize_deserialize():
    assert losses.get("mse") is losses.mean_squared_error
    assert isinstance(losses.get("CategoricalCrossentropy"), losses.CategoricalCrossentropy)
    instance = losses.Huber(delta=2.0)
    assert losses.get(instance) is instance and losses.get(None) is None
    config = losses.serialize(instance)
    assert config["module"] == "keras.losses" and config["class_name"] == "Huber"
    restored = losses.get(config)
    assert isinstance(restored, losses.Huber) and restored.get_config() == instance.get_config()
    assert losses.deserialize(losses.serialize(losses.kl_divergence)) is losses.kl_divergence
    bce = losses.deserialize({"class_name": "BinaryCrossentropy", "config": {"from_logits": True}})
    assert bce.get_config()["from_logits"] is True and bce.name == "binary_crossentropy"

    def custom(y_true, y_pred):
        return losses.mean_absolute_error(y_true, y_pred)

    wrapper = losses.LossFunctionWrapper(custom, reduction="sum")
    config = losses.serialize(wrapper)
    restored = losses.deserialize(config, custom_objects={"custom": custom})
    assert restored.fn is custom and restored.reduction == "sum"


def test_errors_name_valid_choices():
    with pytest.raises(ValueError, match="mean_squared_error"):
        losses.get("mean_sqared_error")
    with pytest.raises(ValueError, match="sum_over_batch_size"):
        losses.MeanSquaredError(reduction="avg")
    with pytest.raises(ValueError, match="Could not interpret"):
        losses.get(3)
