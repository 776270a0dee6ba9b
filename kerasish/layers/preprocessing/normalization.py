"""Normalization: (x - mean) / sqrt(variance) per feature on `axis`, from given statistics or `adapt(data)`."""
from __future__ import annotations

import numpy as np

from kerasish import ops
from kerasish.layers.layer import Layer

_EPSILON = 1e-7


class Normalization(Layer):
    def __init__(self, axis=-1, mean=None, variance=None, invert: bool = False, **kwargs):
        super().__init__(**kwargs)
        if (mean is None) != (variance is None):
            raise ValueError("Normalization: pass both `mean` and `variance`, or neither (then call adapt())")
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis or ())
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert

    def build(self, input_shape):
        rank = len(input_shape)
        self._keep = tuple(sorted(a % rank for a in self.axis))
        stats_shape = tuple(input_shape[a] for a in self._keep)
        if None in stats_shape:
            raise ValueError(f"layer '{self.name}' needs known sizes on axis {self.axis}, got input shape {tuple(input_shape)}")
        self._broadcast_shape = (1,) + tuple(input_shape[a] if a in self._keep else 1 for a in range(1, rank))
        self.mean = self.add_weight(stats_shape, "zeros", name="mean", trainable=False)
        self.variance = self.add_weight(stats_shape, "ones", name="variance", trainable=False)
        self.count = self.add_weight((), "zeros", dtype="int64", name="count", trainable=False)
        if self.input_mean is not None:
            self.mean.assign(np.broadcast_to(np.asarray(self.input_mean, self.dtype), stats_shape))
            self.variance.assign(np.broadcast_to(np.asarray(self.input_variance, self.dtype), stats_shape))
        self.built = True

    def adapt(self, data) -> None:
        """Set mean and variance from `data` (an array), reducing over every axis but `axis`."""
        data = np.asarray(data, self.dtype)
        if not self.built:
            self.build((None,) + data.shape[1:])
        reduce_axes = tuple(a for a in range(data.ndim) if a not in self._keep)
        self.mean.assign(data.mean(axis=reduce_axes).astype(self.dtype))
        self.variance.assign(data.var(axis=reduce_axes).astype(self.dtype))
        self.count.assign(np.asarray(int(np.prod([data.shape[a] for a in reduce_axes])), np.int64))

    def call(self, inputs):
        inputs = ops.cast(inputs, self.dtype)
        mean = ops.reshape(self.mean, self._broadcast_shape)
        std = ops.reshape(ops.maximum(ops.sqrt(self.variance), _EPSILON), self._broadcast_shape)
        if self.invert:
            return ops.add(ops.multiply(inputs, std), mean)
        return ops.divide(ops.subtract(inputs, mean), std)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        def plain(v):
            return v.tolist() if isinstance(v, np.ndarray) else v

        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": plain(self.input_mean), "variance": plain(self.input_variance)}
