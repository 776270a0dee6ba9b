"""MNIST multilayer perceptron with model.fit (Keras' classic mnist_mlp example).

Runs on the full MNIST when it is found locally (see kerasish.datasets.mnist), else on
the 10,000 real digits shipped inside the package.
"""
import argparse

import kerasish as keras


def main(epochs: int = 5, batch_size: int = 128, verbose: int = 2, limit: int = 0) -> float:
    keras.utils.set_random_seed(1234)
    (x, y), (xt, yt) = keras.datasets.mnist.load_data()
    if limit:
        x, y = x[:limit], y[:limit]
    x = x.reshape(len(x), 784).astype("float32") / 255
    xt = xt.reshape(len(xt), 784).astype("float32") / 255
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(512, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.summary()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=batch_size, epochs=epochs, validation_split=0.1, verbose=verbose)
    loss, accuracy = model.evaluate(xt, yt, verbose=0)
    print(f"test loss {loss:.4f}, test accuracy {accuracy:.4f}")
    return accuracy


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    main(**{k.replace("-", "_"): v for k, v in vars(parser.parse_args()).items()})
