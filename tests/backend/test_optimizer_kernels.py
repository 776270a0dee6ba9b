"""Fused update ops: in place, dtype-preserving, clear shape errors; clipping helpers."""
import numpy as np
import pytest

import kerasish.backend as tf
from kerasish.backend.device import get_device
from kerasish.backend.ops import optimizer as opt_ops


def test_updates_are_in_place_and_keep_float64():
    var = np.array([1.0, 2.0], np.float64)
    m, v = np.zeros(2), np.zeros(2)
    out = get_device().kernel("apply_adam")(var, m, v, np.array([1.0, -1.0]), np.float64(0.1),
                                            beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False)
    assert out is var and var.dtype == np.float64
    np.testing.assert_allclose(m, [0.1, -0.1])
    step = 0.1 * 0.1 / (np.sqrt(1e-3) + 1e-7)
    np.testing.assert_allclose(var, [1.0 - step, 2.0 + step])


def test_rmsprop_slot_layout_follows_attributes():
    var, ms, mom, mg = np.ones(3, np.float32), np.zeros(3, np.float32), np.zeros(3, np.float32), np.zeros(3, np.float32)
    grad = np.full(3, 2.0, np.float32)
    get_device().kernel("apply_rmsprop")(var, ms, mom, mg, grad, np.float32(0.1), rho=0.9, momentum=0.5,
                                         epsilon=0.0, centered=True)
    np.testing.assert_allclose(ms, 0.4)
    np.testing.assert_allclose(mg, 0.2)
    np.testing.assert_allclose(mom, 0.2 / np.sqrt(0.4 - 0.04), rtol=1e-6)


def test_shape_errors_name_the_mismatch():
    graph = tf.Graph()
    with graph.as_default():
        w = tf.Variable(np.zeros((2, 3), np.float32))
        with pytest.raises(tf.GraphError, match=r"gradient of shape \(3, 2\)"):
            opt_ops.apply_gradient_descent(w, tf.placeholder(tf.float32, shape=(3, 2)), np.float32(0.1))
        with pytest.raises(tf.GraphError, match="expected 5 inputs"):
            opt_ops.apply_adam(w, w, tf.placeholder(tf.float32, shape=(2, 3)), np.float32(0.1),
                               beta_1=0.9, beta_2=0.999, epsilon=1e-7)
        with pytest.raises(tf.GraphError, match="scalar inputs must be rank-0 float32"):
            opt_ops.apply_gradient_descent(w, tf.placeholder(tf.float32, shape=(2, 3)), np.float64(0.1))


def test_clipping_helpers():
    a, b = np.array([3.0, 4.0], np.float32), np.array([12.0], np.float32)
    np.testing.assert_allclose(opt_ops.clip_by_norm(a, 1.0), [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(opt_ops.clip_by_norm(a, 10.0), a)
    clipped, norm = opt_ops.clip_by_global_norm([a, None, b], 6.5)
    assert float(norm) == pytest.approx(13.0) and clipped[1] is None
    np.testing.assert_allclose(clipped[0], a / 2, rtol=1e-6)
    np.testing.assert_allclose(opt_ops.clip_by_value(np.array([-2.0, 0.5, 3.0], np.float32), 1.0), [-1.0, 0.5, 1.0])
