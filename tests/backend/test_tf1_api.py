"""The TF1-style surface of kerasish.backend: creators, Session.run, feeds, operators, scopes, tf.nn, Saver."""
import os

import h5py
import numpy as np
import pytest

import kerasish.backend as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    tf.set_random_seed(0)
    yield
    tf.reset_default_graph()


# ---- value creators -------------------------------------------------------------------
def test_constant_infers_tf_dtypes_and_fills_shapes():
    assert tf.constant(1.5).dtype == np.float32
    assert tf.constant([1, 2]).dtype == np.int32
    assert tf.constant(np.arange(3.0)).dtype == np.float64
    np.testing.assert_array_equal(tf.constant(0.1, shape=[2, 3]), np.full((2, 3), 0.1, np.float32))
    np.testing.assert_array_equal(tf.constant([1, 2, 3, 4], shape=[2, 2], dtype=tf.float64), [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match="does not fit shape"):
        tf.constant([1, 2, 3], shape=[2, 2])


def test_zeros_ones_fill():
    assert tf.zeros([2, 3]).dtype == np.float32 and not tf.zeros([2, 3]).any()
    np.testing.assert_array_equal(tf.ones(4, dtype=tf.int64), np.ones(4, np.int64))
    np.testing.assert_array_equal(tf.fill([2], 7.0), [7.0, 7.0])


def test_random_creators_follow_the_seed_and_distribution():
    tf.set_random_seed(1)
    a = tf.random_normal([1000], mean=2.0, stddev=0.5)
    tf.set_random_seed(1)
    np.testing.assert_array_equal(a, tf.random_normal([1000], mean=2.0, stddev=0.5))
    assert a.dtype == np.float32 and abs(a.mean() - 2.0) < 0.1 and abs(a.std() - 0.5) < 0.05
    t = tf.truncated_normal([5000], stddev=0.1)
    assert np.abs(t).max() <= 0.2 and t.dtype == np.float32
    u = tf.random_uniform([1000], minval=-1, maxval=3)
    assert u.min() >= -1 and u.max() < 3
    i = tf.random_uniform([100], maxval=5, dtype=tf.int32)
    assert i.dtype == np.int32 and set(np.unique(i)) <= set(range(5))
    np.testing.assert_array_equal(tf.random_normal([3], seed=7), tf.random_normal([3], seed=7))


def test_variable_from_creator_and_initializers():
    w = tf.Variable(tf.random_normal([784, 10], stddev=0.1), name="w")
    b = tf.Variable(tf.zeros([10]), name="b", trainable=False)
    assert w.shape == (784, 10) and w.dtype == np.float32
    assert tf.global_variables() == [w, b] and tf.trainable_variables() == [w]
    initial = w.numpy()
    with tf.Session() as sess:
        sess.run(tf.assign(w, tf.zeros([784, 10])))
        sess.run(tf.assign_add(b, tf.ones([10])))
        sess.run(tf.variables_initializer([b]))
        assert not sess.run(b).any() and not sess.run(w).any()
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(w), initial)
        sess.run(tf.initialize_all_variables())


def test_convert_to_tensor():
    t = tf.convert_to_tensor([1, 2, 3], dtype=tf.float32)
    assert isinstance(t, tf.Tensor) and t.dtype == np.float32
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(t), [1.0, 2.0, 3.0])


# ---- Session.run fetch structures -----------------------------------------------------
def test_session_run_fetch_structures():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    a, b = x * 2.0, tf.reduce_sum(x)
    feed = {x: np.array([[1.0, 2.0]], np.float32)}
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(a, feed), [[2.0, 4.0]])
        out = sess.run([a, b], feed)
        assert isinstance(out, list) and out[1] == 3.0
        out = sess.run((a, b), feed)
        assert isinstance(out, tuple) and out[1] == 3.0
        out = sess.run({"a": a, "nested": [b, {"b": b}]}, feed)
        assert set(out) == {"a", "nested"} and out["nested"][1]["b"] == 3.0
        assert sess.run(tf.constant(5)) == 5


def test_missing_feed_names_the_placeholder():
    x = tf.placeholder(tf.float32, [None, 3], name="images")
    y = tf.placeholder(tf.float32, [None, 3], name="labels")
    with tf.Session() as sess, pytest.raises(tf.FeedError, match="labels"):
        sess.run(x + y, {x: np.zeros((1, 3), np.float32)})


def test_wrong_shape_feed_names_the_placeholder():
    x = tf.placeholder(tf.float32, [None, 784], name="pixels")
    with tf.Session() as sess, pytest.raises(tf.FeedError, match="pixels") as err:
        sess.run(x * 2.0, {x: np.zeros((4, 28, 28), np.float32)})
    assert "(4, 28, 28)" in str(err.value)


# ---- operators on tensors and variables ------------------------------------------------
def test_operators_on_tensors_and_variables():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    k = tf.Variable(np.float32(3.0), name="k")
    b = tf.Variable(np.array([1.0, -1.0], np.float32), name="b")
    m = tf.Variable(np.eye(2, dtype=np.float32) * 2, name="m")
    xv = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    fetches = {"affine": k * x + b, "neg": -x, "sub": x - b, "rsub": 10.0 - x, "div": x / k, "rdiv": 1.0 / x,
               "matmul": x @ m, "lt": x < k, "ge": x >= 2.0, "np": np.float32(2.0) * x}
    with tf.Session() as sess:
        out = sess.run(fetches, {x: xv})
    np.testing.assert_allclose(out["affine"], 3 * xv + [1.0, -1.0])
    np.testing.assert_array_equal(out["neg"], -xv)
    np.testing.assert_array_equal(out["sub"], xv - [1.0, -1.0])
    np.testing.assert_array_equal(out["rsub"], 10 - xv)
    np.testing.assert_allclose(out["div"], xv / 3)
    np.testing.assert_allclose(out["rdiv"], 1 / xv)
    np.testing.assert_array_equal(out["matmul"], xv @ (2 * np.eye(2)))
    np.testing.assert_array_equal(out["lt"], xv < 3)
    np.testing.assert_array_equal(out["ge"], xv >= 2)
    np.testing.assert_array_equal(out["np"], 2 * xv)
    assert out["affine"].dtype == np.float32


def test_tf1_reduction_spellings():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session() as sess:
        out = sess.run([tf.reduce_sum(tf.convert_to_tensor(x), reduction_indices=[1]),
                        tf.reduce_mean(tf.convert_to_tensor(x), 0, keep_dims=True),
                        tf.reduce_max(tf.convert_to_tensor(x))])
    np.testing.assert_array_equal(out[0], [3.0, 12.0])
    np.testing.assert_array_equal(out[1], [[1.5, 2.5, 3.5]])
    assert out[2] == 5.0


# ---- name scopes ------------------------------------------------------------------------
def test_name_scope_prefixes_and_uniquifies():
    x = tf.placeholder(tf.float32, [None, 1], name="x")
    with tf.name_scope("layer"):
        y = tf.multiply(x, 2.0, name="scale")
        with tf.name_scope("inner"):
            z = tf.add(y, 1.0)
    with tf.name_scope("layer") as scope:
        w = tf.multiply(x, 3.0, name="scale")
    assert y.name == "layer/scale:0"
    assert z.op.name == "layer/inner/add"
    assert scope == "layer_1/" and w.name == "layer_1/scale:0"
    assert tf.get_default_graph().get_tensor_by_name("layer/scale:0") is y


# ---- tf.nn ------------------------------------------------------------------------------
def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_nn_cross_entropies_match_numpy():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 5)).astype(np.float32)
    labels = rng.integers(0, 5, 4)
    onehot = np.eye(5, dtype=np.float32)[labels]
    z = tf.placeholder(tf.float32, [None, 5])
    expected = -np.log(_softmax(logits)[np.arange(4), labels])
    with tf.Session() as sess:
        dense, dense2, sparse, sig = sess.run([
            tf.nn.softmax_cross_entropy_with_logits(labels=onehot, logits=z),
            tf.nn.softmax_cross_entropy_with_logits_v2(labels=onehot, logits=z),
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=z),
            tf.nn.sigmoid_cross_entropy_with_logits(labels=onehot, logits=z)], {z: logits})
    for value in (dense, dense2, sparse):
        np.testing.assert_allclose(value, expected, rtol=1e-5)
    p = 1 / (1 + np.exp(-logits))
    np.testing.assert_allclose(sig, -(onehot * np.log(p) + (1 - onehot) * np.log(1 - p)), rtol=1e-4, atol=1e-6)
    with pytest.raises(TypeError):
        tf.nn.softmax_cross_entropy_with_logits(onehot, z)


def test_v1_cross_entropy_blocks_label_gradients():
    labels = tf.placeholder(tf.float32, [None, 3])
    logits = tf.placeholder(tf.float32, [None, 3])
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    assert tf.gradients(v1, labels) is None
    assert tf.gradients(v2, labels) is not None


def test_nn_conv_pool_tf1_arguments():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 6, 6, 3)).astype(np.float32)
    w = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
    xp = tf.placeholder(tf.float32, [None, 6, 6, 3])
    same = tf.nn.conv2d(xp, w, strides=[1, 1, 1, 1], padding="SAME")
    valid = tf.nn.conv2d(xp, w, strides=[1, 2, 2, 1], padding="VALID")
    pooled = tf.nn.max_pool(same, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    averaged = tf.nn.avg_pool(same, ksize=[1, 3, 3, 1], strides=[1, 3, 3, 1], padding="VALID")
    with tf.Session() as sess:
        s, v, p, a = sess.run([same, valid, pooled, averaged], {xp: x})
    assert s.shape == (2, 6, 6, 4) and v.shape == (2, 2, 2, 4) and p.shape == (2, 3, 3, 4) and a.shape == (2, 2, 2, 4)
    np.testing.assert_allclose(v[0, 0, 0], np.einsum("hwc,hwco->o", x[0, :3, :3], w), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(p, s.reshape(2, 3, 2, 3, 2, 4).max(axis=(2, 4)), rtol=1e-6)
    np.testing.assert_allclose(a, s.reshape(2, 2, 3, 2, 3, 4).mean(axis=(2, 4)), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="batch and channel"):
        tf.nn.conv2d(xp, w, strides=[2, 1, 1, 1], padding="SAME")
    with pytest.raises(ValueError, match="SAME"):
        tf.nn.max_pool(xp, ksize=2, strides=2, padding="FULL")


def test_dropout_with_fed_keep_prob():
    x = tf.placeholder(tf.float32, [None, 1000])
    keep_prob = tf.placeholder(tf.float32, [])
    y = tf.nn.dropout(x, keep_prob)
    ones = np.ones((4, 1000), np.float32)
    with tf.Session() as sess:
        train = sess.run(y, {x: ones, keep_prob: 0.5})
        again = sess.run(y, {x: ones, keep_prob: 0.5})
        test = sess.run(y, {x: ones, keep_prob: 1.0})
    assert set(np.unique(train)) == {0.0, 2.0} and abs((train == 0).mean() - 0.5) < 0.03
    assert not np.array_equal(train, again)
    np.testing.assert_array_equal(test, ones)
    (dx,) = tf.gradients(tf.reduce_sum(y), [x])
    with tf.Session() as sess:
        out, grad = sess.run([y, dx], {x: ones, keep_prob: 0.25})
    np.testing.assert_array_equal(grad, out)


def test_dropout_with_float_rate_and_checks():
    x = tf.placeholder(tf.float32, [None, 1000])
    with tf.Session() as sess:
        out = sess.run(tf.nn.dropout(x, rate=0.2), {x: np.ones((2, 1000), np.float32)})
    assert abs((out == 0).mean() - 0.2) < 0.04 and np.allclose(out[out != 0], 1.25)
    assert tf.nn.dropout(x, keep_prob=1.0) is x
    with pytest.raises(ValueError, match="exactly one"):
        tf.nn.dropout(x, keep_prob=0.5, rate=0.5)


def test_nn_small_helpers():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(3, 4)).astype(np.float32)
    t = tf.placeholder(tf.float32, [None, 4])
    table = rng.normal(size=(5, 2)).astype(np.float32)
    mean, var = tf.nn.moments(t, axes=[0])
    with tf.Session() as sess:
        l2, biased, emb, m, s, sm = sess.run([tf.nn.l2_loss(t), tf.nn.bias_add(t, np.ones(4, np.float32)),
                                             tf.nn.embedding_lookup(table, np.array([4, 0])), mean, var,
                                             tf.nn.softmax(t)], {t: v})
    np.testing.assert_allclose(l2, 0.5 * np.sum(v ** 2), rtol=1e-5)
    np.testing.assert_allclose(biased, v + 1)
    np.testing.assert_array_equal(emb, table[[4, 0]])
    np.testing.assert_allclose(m, v.mean(0), rtol=1e-5)
    np.testing.assert_allclose(s, v.var(0), rtol=1e-5)
    np.testing.assert_allclose(sm, _softmax(v), rtol=1e-5)


# ---- Saver --------------------------------------------------------------------------------
def test_saver_round_trip(tmp_path):
    with tf.name_scope("layer"):
        w = tf.Variable(tf.random_normal([3, 2]), name="w")
    b = tf.Variable(tf.zeros([2]), name="b")
    saved = [w.numpy(), b.numpy()]
    saver = tf.train.Saver()
    with tf.Session() as sess:
        path = saver.save(sess, str(tmp_path / "ckpt" / "model.h5"))
        assert os.path.exists(path) and sorted(p.name for p in (tmp_path / "ckpt").iterdir()) == ["checkpoint", "model.h5"]
        sess.run([tf.assign(w, tf.ones([3, 2])), tf.assign(b, tf.ones([2]))])
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), saved[0])
        np.testing.assert_array_equal(sess.run(b), saved[1])
        assert saver.save(sess, str(tmp_path / "m"), global_step=7).endswith("m-7")


def test_saver_restores_into_a_new_graph_and_reports_mismatches(tmp_path):
    first = tf.Variable(tf.random_normal([4]), name="v")
    duplicate = tf.Variable(tf.random_normal([4]), name="v")
    path = tf.train.Saver().save(None, str(tmp_path / "model"))
    expected = [first.numpy(), duplicate.numpy()]
    tf.reset_default_graph()
    fresh = [tf.Variable(tf.zeros([4]), name="v"), tf.Variable(tf.zeros([4]), name="v")]
    tf.train.Saver().restore(None, path)
    for variable, value in zip(fresh, expected):
        np.testing.assert_array_equal(variable.numpy(), value)
    with pytest.raises(ValueError, match="shape"):
        tf.train.Saver({"v": tf.Variable(tf.zeros([5]))}).restore(None, path)
    with pytest.raises(KeyError, match="missing"):
        tf.train.Saver({"missing": fresh[0]}).restore(None, path)


def test_saver_keeps_max_to_keep_and_records_the_latest(tmp_path):
    v = tf.Variable(tf.zeros([2]), name="v")
    saver = tf.train.Saver(max_to_keep=2)
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    for step in (1, 2, 3):
        v.assign(np.full(2, step, "float32"))
        saver.save(None, str(tmp_path / "model"), global_step=step)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint", "model-2", "model-3"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model-3")
    v.assign(np.zeros(2, "float32"))
    saver.restore(None, tf.train.latest_checkpoint(str(tmp_path)))
    np.testing.assert_array_equal(v.numpy(), [3, 3])


def test_saver_failed_save_keeps_previous_checkpoint_and_reports_damaged_files(tmp_path, monkeypatch):
    v = tf.Variable(tf.ones([2]), name="v")
    saver = tf.train.Saver()
    path = saver.save(None, str(tmp_path / "model"))
    before = (tmp_path / "model").read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(h5py.File, "create_dataset", broken, raising=False)
    with pytest.raises(OSError, match="disk full"):
        saver.save(None, path)
    monkeypatch.undo()
    assert (tmp_path / "model").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint", "model"]
    (tmp_path / "foreign").write_text("not a checkpoint")
    with pytest.raises(ValueError, match="not an HDF5 file"):
        saver.restore(None, str(tmp_path / "foreign"))
    (tmp_path / "cut").write_bytes(before[: len(before) // 2])
    with pytest.raises(ValueError, match="damaged or truncated"):
        saver.restore(None, str(tmp_path / "cut"))
