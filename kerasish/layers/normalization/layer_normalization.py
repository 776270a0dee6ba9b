"""LayerNormalization: normalise each example over `axis` (int or list), then scale and shift."""
from __future__ import annotations

import numpy as np

from kerasish import initializers
from kerasish.backend.ops.nn import layer_norm
from kerasish.layers.layer import Layer


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon: float = 1e-3, center: bool = True, scale: bool = True,
                 rms_scaling: bool = False, beta_initializer="zeros", gamma_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if rms_scaling:
            raise ValueError("LayerNormalization: rms_scaling=True is not supported")
        if not isinstance(axis, (int, list, tuple)):
            raise TypeError(f"LayerNormalization: `axis` must be an int or a list of ints, got {axis!r}")
        self.axis = list(axis) if isinstance(axis, tuple) else axis
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = beta_regularizer
        self.gamma_regularizer = gamma_regularizer
        self.supports_masking = True

    def _axes(self, rank: int) -> tuple:
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        for a in axes:
            if not -rank <= a < rank:
                raise ValueError(f"layer '{self.name}': axis {a} is out of range for an input of rank {rank}")
        return tuple(sorted(a % rank for a in axes))

    def build(self, input_shape):
        shape = tuple(input_shape[a] for a in self._axes(len(input_shape)))
        if None in shape:
            raise ValueError(f"layer '{self.name}' needs known sizes on axis {self.axis}, got input shape {tuple(input_shape)}")
        self.gamma = (self.add_weight(shape, self.gamma_initializer, name="gamma", regularizer=self.gamma_regularizer)
                      if self.scale else None)
        self.beta = (self.add_weight(shape, self.beta_initializer, name="beta", regularizer=self.beta_regularizer)
                     if self.center else None)
        self._param_shape = shape
        self.built = True

    def call(self, inputs):
        axes = self._axes(len(inputs.shape))
        gamma = self.gamma if self.gamma is not None else np.ones(self._param_shape, inputs.dtype)
        beta = self.beta if self.beta is not None else np.zeros(self._param_shape, inputs.dtype)
        return layer_norm(inputs, gamma, beta, axis=axes[0] if len(axes) == 1 else axes, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
                "scale": self.scale, "rms_scaling": self.rms_scaling,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer), "beta_regularizer": None,
                "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None}
