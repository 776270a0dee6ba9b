"""TF1 classic "Deep MNIST": conv 5x5x32 -> pool -> conv 5x5x64 -> pool -> fc -> dropout -> softmax.

Dropout's keep_prob is a placeholder fed 0.5 for training and 1.0 for testing. The
defaults are sized for a 2-core CPU (a smaller fully connected layer and Adam 1e-3);
`main(fc_units=1024, learning_rate=1e-4, steps=20000)` is the original tutorial.
Run: python examples/tf1_mnist_cnn.py
"""
from __future__ import annotations

import numpy as np

import _mnist  # examples/_mnist.py, beside this script
import kerasish.backend as tf


def weight_variable(shape, name: str) -> tf.Variable:
    return tf.Variable(tf.truncated_normal(shape, stddev=0.1), name=name)


def bias_variable(shape, name: str) -> tf.Variable:
    return tf.Variable(tf.constant(0.1, shape=shape), name=name)


def conv2d(x, w):
    return tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME")


def max_pool_2x2(x):
    return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")


def build(fc_units: int):
    """Placeholders (x, labels, keep_prob) and the logits."""
    x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="x")
    y_ = tf.placeholder(tf.int64, [None], name="labels")
    keep_prob = tf.placeholder(tf.float32, [], name="keep_prob")
    with tf.name_scope("conv1"):
        h = max_pool_2x2(tf.nn.relu(conv2d(x, weight_variable([5, 5, 1, 32], "w")) + bias_variable([32], "b")))
    with tf.name_scope("conv2"):
        h = max_pool_2x2(tf.nn.relu(conv2d(h, weight_variable([5, 5, 32, 64], "w")) + bias_variable([64], "b")))
    with tf.name_scope("fc1"):
        h = tf.reshape(h, [-1, 7 * 7 * 64])
        h = tf.nn.relu(tf.matmul(h, weight_variable([7 * 7 * 64, fc_units], "w")) + bias_variable([fc_units], "b"))
        h = tf.nn.dropout(h, keep_prob)
    with tf.name_scope("fc2"):
        logits = tf.matmul(h, weight_variable([fc_units, 10], "w")) + bias_variable([10], "b")
    return x, y_, keep_prob, logits


def main(steps: int = 1500, batch_size: int = 50, fc_units: int = 256, learning_rate: float = 1e-3,
         n_test: int = 2000, seed: int = 0) -> float:
    """Train with Adam; print and return the accuracy on the first `n_test` test digits."""
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    x_train, y_train, x_test, y_test = _mnist.load(flat=False)
    x, y_, keep_prob, logits = build(fc_units)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_, logits=logits))
    train = tf.train.AdamOptimizer(learning_rate).minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y_), tf.float32))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        batches = _mnist.batches(len(x_train), batch_size, np.random.default_rng(seed))
        for step in range(steps):
            idx = next(batches)
            feed = {x: x_train[idx], y_: y_train[idx], keep_prob: 0.5}
            if step % 100 == 0:
                print(f"step {step}, training accuracy {sess.run(accuracy, {**feed, keep_prob: 1.0}):.3f}")
            sess.run(train, feed_dict=feed)
        correct = sum(float(sess.run(accuracy, {x: x_test[i:i + 500], y_: y_test[i:i + 500], keep_prob: 1.0})) * len(
            y_test[i:i + 500]) for i in range(0, n_test, 500))
    acc = correct / min(n_test, len(y_test))
    print(f"test accuracy {acc:.4f}")
    return acc


if __name__ == "__main__":
    main()
