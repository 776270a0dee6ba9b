"""Gradient-check cases for the neural-network ops (float64, tiny shapes)."""
import numpy as np

_rng = np.random.default_rng(20)


def _normal(*shape):
    return _rng.standard_normal(shape)


def _simplex(*shape):
    """Rows that sum to 1 along the last axis (labels for softmax cross-entropy)."""
    p = _rng.uniform(0.1, 1.0, shape)
    return p / p.sum(axis=-1, keepdims=True)


def _positive(*shape):
    return _rng.uniform(0.5, 1.5, shape)


CASES = {
    "softmax": [
        dict(inputs=[_normal(2, 4)], attrs={}),
        dict(inputs=[_normal(2, 3, 2)], attrs={"axis": 1}),
    ],
    "log_softmax": [
        dict(inputs=[_normal(2, 4)], attrs={}),
        dict(inputs=[_normal(3, 2, 2)], attrs={"axis": 0}),
    ],
    "softmax_cross_entropy": [
        dict(inputs=[_simplex(3, 4), _normal(3, 4)], attrs={}),
        dict(inputs=[_simplex(2, 2, 3), _normal(2, 2, 3)], attrs={}),
    ],
    "sparse_softmax_cross_entropy": [
        dict(inputs=[np.array([0, 3, 1]), _normal(3, 4)], attrs={}),
        dict(inputs=[np.array([[2, 0], [1, 1]]), _normal(2, 2, 3)], attrs={}),
    ],
    "sigmoid_cross_entropy": [
        dict(inputs=[_rng.uniform(0, 1, (3, 4)), 3 * _normal(3, 4)], attrs={}),
    ],
    "dropout": [
        dict(inputs=[_normal(4, 5)], attrs={"rate": 0.4}),
        dict(inputs=[_normal(2, 3, 4)], attrs={"rate": 0.5, "noise_shape": (None, 1, 4)}),
    ],
    "batch_norm_train": [
        dict(inputs=[_normal(5, 3), _positive(3), _normal(3)], attrs={}),
        dict(inputs=[_normal(2, 3, 2, 2), _positive(3), _normal(3)], attrs={"axis": 1, "epsilon": 1e-5}),
    ],
    "batch_norm_infer": [
        dict(inputs=[_normal(4, 3), _normal(3), _positive(3), _positive(3), _normal(3)], attrs={}),
        dict(inputs=[_normal(2, 2, 2, 3), _normal(3), _positive(3), _positive(3), _normal(3)], attrs={"axis": -1}),
    ],
    "layer_norm": [
        dict(inputs=[_normal(3, 5), _positive(5), _normal(5)], attrs={}),
        dict(inputs=[_normal(2, 3, 4), _positive(3, 4), _normal(3, 4)], attrs={"axis": (1, 2), "epsilon": 1e-5}),
    ],
    "embedding_lookup": [
        dict(inputs=[_normal(6, 3), np.array([[0, 5, 2], [2, 2, 4]])], attrs={}),
    ],
    "l2_normalize": [
        dict(inputs=[_normal(3, 4)], attrs={}),
        dict(inputs=[_normal(2, 3, 2)], attrs={"axis": (1, 2)}),
        dict(inputs=[_normal(2, 3)], attrs={"epsilon": 100.0}),
    ],
}
