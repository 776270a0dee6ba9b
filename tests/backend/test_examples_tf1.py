"""The classic TF1 examples in examples/ train to the issue's thresholds on the real data."""
import importlib
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def example(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    return importlib.import_module


def test_linear_regression_recovers_k_and_b(example):
    assert example("tf1_linear_regression").main(steps=400) < 1e-3


def test_nonlinear_regression_fits(example):
    assert example("tf1_nonlinear_regression").main(steps=2000) < 0.01


def test_mnist_softmax_regression(example):
    assert example("tf1_mnist_softmax").main(steps=1000) >= 0.88


def test_mnist_cnn_smoke(example):
    """A short run with small batches and a small fully connected layer: clearly above chance (0.1)."""
    assert example("tf1_mnist_cnn").main(steps=50, batch_size=32, fc_units=64, n_test=500) >= 0.4


@pytest.mark.slow
def test_mnist_cnn_full(example):
    assert example("tf1_mnist_cnn").main() >= 0.97
