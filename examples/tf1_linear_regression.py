"""TF1 classic: fit y = 0.1 x + 0.2 with gradient descent and recover k and b.

Run: python examples/tf1_linear_regression.py
"""
from __future__ import annotations

import numpy as np

import kerasish.backend as tf


def main(steps: int = 400, learning_rate: float = 0.5, seed: int = 0) -> float:
    """Train; print and return the worse of |k - 0.1| and |b - 0.2|."""
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    x_data = np.random.default_rng(seed).random(100).astype(np.float32)
    y_data = x_data * 0.1 + 0.2

    k = tf.Variable(0.0, name="k")
    b = tf.Variable(0.0, name="b")
    y = k * x_data + b
    loss = tf.reduce_mean(tf.square(y_data - y))
    train = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(steps):
            sess.run(train)
            if step % 100 == 0:
                print(step, *sess.run([k, b]))
        k_value, b_value = sess.run([k, b])
    error = float(max(abs(k_value - 0.1), abs(b_value - 0.2)))
    print(f"k = {k_value:.6f}, b = {b_value:.6f}, max error {error:.2e}")
    return error


if __name__ == "__main__":
    main()
