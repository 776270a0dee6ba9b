"""The Keras examples run end to end at small size (full runs: -m slow)."""
import importlib.util
import pathlib

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mnist_mlp_small():
    assert load("mnist_mlp").main(epochs=2, verbose=0, limit=3000) > 0.85


def test_mnist_convnet_small():
    assert load("mnist_convnet").main(epochs=2, verbose=0, limit=4000, batch_size=64) > 0.85


@pytest.mark.slow
def test_mnist_convnet_full():
    assert load("mnist_convnet").main(epochs=10, verbose=0) > 0.97
