"""TF1-style optimizers (kerasish.backend.train): convergence and exact trajectories."""
import numpy as np
import pytest

import kerasish.backend as tf

W0 = np.array([[0.5, -1.0], [2.0, 0.25]], np.float32)
X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]], np.float32)
T = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], np.float32)


def _mse_grad(w):
    """d/dw of mean((X @ w - T)^2) in float64."""
    x, t = X.astype(np.float64), T.astype(np.float64)
    return 2.0 * x.T @ (x @ w - t) / t.size


def _numpy_rule(name):
    """(initial state, step(w, g, state, t) -> w) for each optimizer, written from the TF1 formulas."""
    lr = 0.1
    if name == "sgd":
        return {}, lambda w, g, s, t: w - lr * g
    if name in ("momentum", "nesterov"):
        def step(w, g, s, t):
            s["a"] = 0.9 * s["a"] + g
            return w - lr * (g + 0.9 * s["a"]) if name == "nesterov" else w - lr * s["a"]
        return {"a": 0.0}, step
    if name == "adagrad":
        def step(w, g, s, t):
            s["a"] = s["a"] + g * g
            return w - lr * g / np.sqrt(s["a"])
        return {"a": 0.1}, step
    if name in ("rmsprop", "rmsprop_centered"):
        def step(w, g, s, t):
            s["ms"] = 0.9 * s["ms"] + 0.1 * g * g
            s["mg"] = 0.9 * s["mg"] + 0.1 * g if name == "rmsprop_centered" else 0.0
            s["mom"] = 0.5 * s["mom"] + lr * g / np.sqrt(s["ms"] - s["mg"] ** 2 + 1e-10)
            return w - s["mom"]
        return {"ms": 1.0, "mg": 0.0, "mom": 0.0}, step
    if name == "adadelta":
        def step(w, g, s, t):
            s["a"] = 0.95 * s["a"] + 0.05 * g * g
            update = np.sqrt(s["u"] + 1e-8) / np.sqrt(s["a"] + 1e-8) * g
            s["u"] = 0.95 * s["u"] + 0.05 * update * update
            return w - lr * update
        return {"a": 0.0, "u": 0.0}, step
    if name == "adam":
        def step(w, g, s, t):
            lr_t = lr * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            s["m"] = 0.9 * s["m"] + 0.1 * g
            s["v"] = 0.999 * s["v"] + 0.001 * g * g
            return w - lr_t * s["m"] / (np.sqrt(s["v"]) + 1e-8)
        return {"m": 0.0, "v": 0.0}, step
    raise KeyError(name)


OPTIMIZERS = {
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5),
    "rmsprop_centered": lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
    "adadelta": lambda: tf.train.AdadeltaOptimizer(0.1),
    "adam": lambda: tf.train.AdamOptimizer(0.1),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_three_steps_match_numpy(name):
    graph = tf.Graph()
    with graph.as_default():
        w = tf.Variable(W0, name="w")
        x = tf.placeholder(tf.float32, shape=(None, 2))
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - T))
        global_step = tf.train.get_or_create_global_step()
        train_op = OPTIMIZERS[name]().minimize(loss, global_step=global_step)
    expected = W0.astype(np.float64)
    state, rule = _numpy_rule(name)
    with tf.Session(graph=graph) as sess:
        for t in (1, 2, 3):
            expected = rule(expected, _mse_grad(expected), state, t)
            sess.run(train_op, {x: X})
            np.testing.assert_allclose(w.numpy(), expected, rtol=2e-5, atol=1e-6, err_msg=f"step {t}")
    assert int(global_step.numpy()) == 3


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_quadratic_converges(name):
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable(np.array([3.0, -2.0], np.float32))
        loss = tf.reduce_sum(tf.square(v - np.array([1.0, 0.5], np.float32)))
        optimizer = OPTIMIZERS[name]() if name != "adadelta" else tf.train.AdadeltaOptimizer(1.0, rho=0.9, epsilon=1e-3)
        train_op = optimizer.minimize(loss)
    with tf.Session(graph=graph) as sess:
        first = sess.run(loss)
        for _ in range(300):
            sess.run(train_op)
        assert sess.run(loss) < 1e-2 * first


def test_two_layer_net_loss_decreases():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(64, 4)).astype(np.float32)
    labels = (data[:, :1] * data[:, 1:2] > 0).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, shape=(None, 4))
        y = tf.placeholder(tf.float32, shape=(None, 1))
        w1 = tf.Variable(rng.normal(0, 0.5, (4, 16)).astype(np.float32))
        b1 = tf.Variable(np.zeros(16, np.float32))
        w2 = tf.Variable(rng.normal(0, 0.5, (16, 1)).astype(np.float32))
        hidden = tf.tanh(tf.matmul(x, w1) + b1)
        loss = tf.reduce_mean(tf.square(tf.sigmoid(tf.matmul(hidden, w2)) - y))
        train_op = tf.train.AdamOptimizer(0.05).minimize(loss)
    with tf.Session(graph=graph) as sess:
        before = sess.run(loss, {x: data, y: labels})
        for _ in range(200):
            sess.run(train_op, {x: data, y: labels})
        assert sess.run(loss, {x: data, y: labels}) < 0.5 * before


def test_var_list_defaults_to_trainable_dependencies_and_slots_are_reachable():
    graph = tf.Graph()
    with graph.as_default():
        a = tf.Variable(np.float32(1.0), name="a")
        b = tf.Variable(np.float32(2.0), name="b", trainable=False)
        tf.Variable(np.float32(3.0), name="unused")
        loss = a * b
        optimizer = tf.train.MomentumOptimizer(0.1, 0.9)
        pairs = optimizer.compute_gradients(loss)
        assert [v for _, v in pairs] == [a]
        optimizer.apply_gradients(pairs)
    assert optimizer.get_slot_names() == ["momentum"]
    assert optimizer.get_slot(a, "momentum").shape == ()
    with pytest.raises(ValueError, match="no gradients"):
        optimizer.apply_gradients([(None, a)])


def test_learning_rate_tensor_is_fed_without_recompiling():
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable(np.float32(0.0))
        lr = tf.placeholder(tf.float32, shape=())
        train_op = tf.train.GradientDescentOptimizer(lr).minimize(tf.multiply(v, 1.0))
    with tf.Session(graph=graph) as sess:
        sess.run(train_op, {lr: 0.5})
        sess.run(train_op, {lr: 0.25})
    assert float(v.numpy()) == pytest.approx(-0.75)
