"""TF1 classic: softmax regression on MNIST (the kerasish 10k sample: 8,000 train / 2,000 test).

Run: python examples/tf1_mnist_softmax.py
"""
from __future__ import annotations

import numpy as np

import _mnist  # examples/_mnist.py, beside this script
import kerasish.backend as tf


def main(steps: int = 1000, batch_size: int = 100, learning_rate: float = 0.5, seed: int = 0) -> float:
    """Train with gradient descent on minibatches; print and return the test accuracy."""
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    x_train, y_train, x_test, y_test = _mnist.load()
    y_train, y_test = _mnist.one_hot(y_train), _mnist.one_hot(y_test)

    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y_ = tf.placeholder(tf.float32, [None, 10], name="labels")
    w = tf.Variable(tf.zeros([784, 10]), name="weights")
    b = tf.Variable(tf.zeros([10]), name="biases")
    logits = tf.matmul(x, w) + b
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=logits))
    train = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        batches = _mnist.batches(len(x_train), batch_size, np.random.default_rng(seed))
        for step in range(steps):
            idx = next(batches)
            sess.run(train, feed_dict={x: x_train[idx], y_: y_train[idx]})
        acc = float(sess.run(accuracy, feed_dict={x: x_test, y_: y_test}))
    print(f"test accuracy {acc:.4f}")
    return acc


if __name__ == "__main__":
    main()
