"""Keras optimizers against real Keras 3: 3 training steps of a small MLP per optimizer case.

The forward pass and loss are built directly from backend ops (Dense relu -> Dense softmax,
categorical crossentropy on clipped probabilities, batch mean); the update ops come from
the optimizer under test, exactly as the trainer wires them.
"""
import json
import pathlib

import numpy as np
import pytest

from kerasish import backend
from kerasish import optimizers
from kerasish.backend.ops.math import bias_add, clip, log, matmul, multiply, reduce_mean, reduce_sum, relu
from kerasish.backend.ops.nn import softmax
from kerasish.variables import KerasVariable

FIXTURES = pathlib.Path(__file__).parent.parent / "fixtures" / "keras_reference" / "optimizers"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text())
CASES = {case["name"]: case for case in MANIFEST["cases"]}
EPS = 1e-7


def _model_variables(case, data):
    return [KerasVariable(data[w["init_key"]], dtype="float32", name=w["path"].split("/")[-1], path=w["path"])
            for w in case["weights"]]


def _loss(x, y, weights):
    w0, b0, w1, b1 = weights
    hidden = relu(bias_add(matmul(x, w0), b0))
    probs = softmax(bias_add(matmul(hidden, w1), b1))
    probs = clip(probs / reduce_sum(probs, axis=-1, keepdims=True), min=EPS, max=1.0 - EPS)
    return reduce_mean(-reduce_sum(multiply(y, log(probs)), axis=-1))


def _train_step_function(optimizer, weights):
    graph = backend.Graph()
    with graph.as_default():
        x = backend.placeholder(backend.float32, shape=(None, 8))
        y = backend.placeholder(backend.float32, shape=(None, 3))
        loss = _loss(x, y, weights)
        updates = optimizer.update_ops(backend.gradients(loss, weights), weights)
    return backend.compile(fetches=[loss], feeds=[x, y], targets=updates)


@pytest.mark.parametrize("name", sorted(CASES))
def test_three_steps_match_keras(name):
    case = CASES[name]
    data = np.load(FIXTURES / case["file"])
    weights = _model_variables(case, data)
    optimizer = optimizers.deserialize(case["optimizer"])
    step = _train_step_function(optimizer, weights)
    for s in range(3):
        (loss,) = step(data["X"], data["Y"])
        np.testing.assert_allclose(loss, case["losses"][s], rtol=1e-5, atol=1e-6, err_msg=f"loss of step {s + 1}")
        for w, var in zip(case["weights"], weights):
            np.testing.assert_allclose(var.numpy(), data[w["after_step_keys"][s]], rtol=1e-5, atol=1e-6,
                                       err_msg=f"{w['path']} after step {s + 1}")
    expected = case["optimizer_variables_after_3_steps"]
    assert [v.path for v in optimizer.variables] == [e["path"] for e in expected]
    for e, var in zip(expected, optimizer.variables):
        assert var.dtype == np.dtype(e["dtype"]) and tuple(var.shape) == tuple(e["shape"])
        np.testing.assert_allclose(var.numpy(), data[e["key"]], rtol=1e-5, atol=1e-6, err_msg=e["path"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_config_round_trip(name):
    serialized = CASES[name]["optimizer"]
    optimizer = optimizers.deserialize(serialized)
    assert optimizers.serialize(optimizer) == serialized
    clone = type(optimizer).from_config(optimizer.get_config())
    assert clone.get_config() == optimizer.get_config()


def test_eager_apply_gradients_matches_graph_step():
    case = CASES["adam"]
    data = np.load(FIXTURES / case["file"])
    graph_weights = _model_variables(case, data)
    _train_step_function(optimizers.Adam(learning_rate=0.01), graph_weights)(data["X"], data["Y"])
    eager_weights = _model_variables(case, data)
    graph = backend.Graph()
    with graph.as_default():
        x = backend.placeholder(backend.float32, shape=(None, 8))
        y = backend.placeholder(backend.float32, shape=(None, 3))
        grads = backend.compile(backend.gradients(_loss(x, y, eager_weights), eager_weights), [x, y])(data["X"], data["Y"])
    optimizer = optimizers.Adam(learning_rate=0.01)
    iterations = optimizer.apply_gradients(zip(grads, eager_weights))
    assert int(iterations.numpy()) == 1
    for a, b in zip(graph_weights, eager_weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-7)


def test_eager_rules_against_numpy():
    var = KerasVariable(np.array([1.0, -2.0, 3.0], np.float32), dtype="float32", name="w", path="w")
    grad = np.array([0.5, -1.0, 2.0], np.float32)
    optimizer = optimizers.get({"class_name": "Adamax", "config": {"learning_rate": 0.1}})
    expected, m, u = var.numpy().astype(np.float64), np.zeros(3), np.zeros(3)
    for t in (1, 2):
        optimizer.apply_gradients([(grad, var)])
        m = 0.9 * m + 0.1 * grad
        u = np.maximum(0.999 * u, np.abs(grad))
        expected -= 0.1 * m / ((1 - 0.9 ** t) * (u + 1e-7))
        np.testing.assert_allclose(var.numpy(), expected, rtol=1e-6)


def test_learning_rate_property_is_a_settable_float_without_recompiling():
    var = KerasVariable(np.ones(2, np.float32), dtype="float32", name="w", path="w")
    optimizer = optimizers.SGD(learning_rate=0.5)
    assert isinstance(optimizer.learning_rate, float) and optimizer.learning_rate == 0.5
    optimizer.apply_gradients([(np.ones(2, np.float32), var)])
    optimizer.learning_rate = 0.25
    optimizer.apply_gradients([(np.ones(2, np.float32), var)])
    np.testing.assert_allclose(var.numpy(), [0.25, 0.25])
    assert len(optimizer._eager_functions) == 1


def test_schedule_learning_rate_is_not_settable():
    optimizer = optimizers.Adam(optimizers.schedules.ExponentialDecay(0.1, 10, 0.5))
    assert optimizer.learning_rate == pytest.approx(0.1)
    with pytest.raises(TypeError, match="not settable"):
        optimizer.learning_rate = 0.3


def test_clipvalue_and_weight_decay_exclusion():
    kept = KerasVariable(np.full(2, 10.0, np.float32), dtype="float32", name="bias", path="d/bias")
    decayed = KerasVariable(np.full(2, 10.0, np.float32), dtype="float32", name="kernel", path="d/kernel")
    optimizer = optimizers.SGD(learning_rate=0.1, clipvalue=0.5, weight_decay=0.1)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    grad = np.array([4.0, -0.25], np.float32)
    optimizer.apply_gradients([(grad, kept), (grad, decayed)])
    np.testing.assert_allclose(kept.numpy(), [9.95, 10.025], rtol=1e-6)
    np.testing.assert_allclose(decayed.numpy(), [9.9 - 0.05, 9.9 + 0.025], rtol=1e-6)


def test_get_and_errors():
    assert isinstance(optimizers.get("rmsprop"), optimizers.RMSprop)
    assert isinstance(optimizers.get("AdamW"), optimizers.AdamW)
    sgd = optimizers.SGD()
    assert optimizers.get(sgd) is sgd and optimizers.get(None) is None
    with pytest.raises(ValueError, match="Valid names are.*'adam'"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="Unknown variable"):
        v = KerasVariable(np.ones(1, np.float32), dtype="float32", name="a", path="a")
        sgd.apply_gradients([(np.ones(1, np.float32), v)])
        sgd.apply_gradients([(np.ones(1, np.float32), KerasVariable(np.ones(1, np.float32), dtype="float32", name="b"))])


@pytest.mark.parametrize("schedule, steps, expected", [
    (optimizers.schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), [0, 9, 10, 25], [0.1, 0.1, 0.05, 0.025]),
    (optimizers.schedules.InverseTimeDecay(1.0, 2, 0.5), [0, 2, 4], [1.0, 1 / 1.5, 0.5]),
    (optimizers.schedules.PiecewiseConstantDecay([3, 6], [1.0, 0.5, 0.1]), [0, 3, 4, 6, 7], [1.0, 1.0, 0.5, 0.5, 0.1]),
    (optimizers.schedules.CosineDecay(1.0, 10, alpha=0.1), [0, 5, 10, 20], [1.0, 0.55, 0.1, 0.1]),
    (optimizers.schedules.CosineDecay(0.0, 10, warmup_target=1.0, warmup_steps=4), [0, 2, 4, 9, 14], [0.0, 0.5, 1.0, 0.5, 0.0]),
])
def test_schedules_eager_and_in_graph(schedule, steps, expected):
    eager = [float(schedule(s)) for s in steps]
    np.testing.assert_allclose(eager, expected, rtol=1e-6, atol=1e-7)
    graph = backend.Graph()
    with graph.as_default():
        step = backend.placeholder(backend.int64, shape=())
        fn = backend.compile([schedule(step)], [step])
    np.testing.assert_allclose([float(fn(np.int64(s))[0]) for s in steps], expected, rtol=1e-6, atol=1e-7)
    clone = optimizers.schedules.deserialize(optimizers.schedules.serialize(schedule))
    assert clone.get_config() == schedule.get_config()


def test_save_and_load_own_variables():
    var = KerasVariable(np.ones(3, np.float32), dtype="float32", name="w", path="w")
    source = optimizers.RMSprop(learning_rate=0.1, momentum=0.5)
    source.apply_gradients([(np.full(3, 2.0, np.float32), var)])
    store = {}
    source.save_own_variables(store)
    assert sorted(store) == ["0", "1", "2", "3"]
    target = optimizers.RMSprop(learning_rate=0.1, momentum=0.5)
    target.build([var])
    target.load_own_variables(store)
    for a, b in zip(source.variables, target.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        optimizers.RMSprop().load_own_variables(store)


def test_loss_scale_factor_unscales_gradients():
    var = KerasVariable(np.zeros(2, np.float32), dtype="float32", name="w", path="w")
    optimizer = optimizers.SGD(learning_rate=1.0, loss_scale_factor=4.0)
    assert float(optimizer.scale_loss(np.float32(2.0))) == 8.0
    optimizer.apply_gradients([(np.array([4.0, -8.0], np.float32), var)])
    np.testing.assert_allclose(var.numpy(), [-1.0, 2.0])
