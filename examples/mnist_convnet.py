"""The classic Keras MNIST convnet, trained with model.fit.

Runs on the full MNIST or Fashion-MNIST when found locally (see kerasish.datasets),
else on the 10,000 real MNIST digits shipped inside the package. This is the README's
main example.
"""
import argparse

import numpy as np

import kerasish as keras


def build_model() -> keras.Model:
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ])


def main(epochs: int = 8, batch_size: int = 128, dataset: str = "mnist", verbose: int = 2, limit: int = 0) -> float:
    keras.utils.set_random_seed(1234)
    (x, y), (xt, yt) = getattr(keras.datasets, dataset).load_data()
    if limit:
        x, y = x[:limit], y[:limit]
    x = np.expand_dims(x.astype("float32") / 255, -1)
    xt = np.expand_dims(xt.astype("float32") / 255, -1)
    model = build_model()
    model.summary()
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(x, keras.utils.to_categorical(y, 10), batch_size=batch_size, epochs=epochs, validation_split=0.1, verbose=verbose)
    loss, accuracy = model.evaluate(xt, keras.utils.to_categorical(yt, 10), verbose=0)
    print(f"test loss {loss:.4f}, test accuracy {accuracy:.4f}")
    return accuracy


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--dataset", choices=["mnist", "fashion_mnist"], default="mnist")
    main(**{k.replace("-", "_"): v for k, v in vars(parser.parse_args()).items()})
