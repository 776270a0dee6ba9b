"""TF1 classic: a 1-10-1 tanh network fits y = x^2 + noise on [-0.5, 0.5].

Run: python examples/tf1_nonlinear_regression.py
"""
from __future__ import annotations

import numpy as np

import kerasish.backend as tf


def main(steps: int = 2000, learning_rate: float = 0.1, hidden: int = 10, seed: int = 0) -> float:
    """Train with gradient descent; print and return the final training MSE."""
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x_data = np.linspace(-0.5, 0.5, 200, dtype=np.float32)[:, None]
    y_data = np.square(x_data) + rng.normal(0.0, 0.02, x_data.shape).astype(np.float32)

    x = tf.placeholder(tf.float32, [None, 1], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    with tf.name_scope("hidden"):
        w1 = tf.Variable(tf.random_normal([1, hidden]), name="weights")
        b1 = tf.Variable(tf.zeros([1, hidden]), name="biases")
        h = tf.nn.tanh(tf.matmul(x, w1) + b1)
    with tf.name_scope("output"):
        w2 = tf.Variable(tf.random_normal([hidden, 1]), name="weights")
        b2 = tf.Variable(tf.zeros([1, 1]), name="biases")
        prediction = tf.nn.tanh(tf.matmul(h, w2) + b2)
    loss = tf.reduce_mean(tf.square(y - prediction))
    train = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(steps):
            sess.run(train, feed_dict={x: x_data, y: y_data})
            if step % 500 == 0:
                print(step, sess.run(loss, feed_dict={x: x_data, y: y_data}))
        mse = float(sess.run(loss, feed_dict={x: x_data, y: y_data}))
    print(f"final MSE {mse:.5f}")
    return mse


if __name__ == "__main__":
    main()
