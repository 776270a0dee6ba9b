"""BatchNormalization: normalise with batch statistics while training (updating moving averages),
with the moving statistics otherwise. A frozen layer (trainable=False) always runs in inference mode."""
from __future__ import annotations

import numpy as np

from kerasish import initializers
from kerasish.backend.ops.nn import batch_norm_infer, batch_norm_train, moving_average_update
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class BatchNormalization(Layer):
    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, synchronized: bool = False,
                 **kwargs):
        for key in ("renorm", "renorm_clipping", "renorm_momentum"):
            value = kwargs.pop(key, None)
            if key == "renorm" and value:
                raise ValueError("BatchNormalization: renorm=True is not supported")
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            if len(axis) != 1:
                raise ValueError(f"BatchNormalization: `axis` must be a single int, got {axis!r}")
            axis = axis[0]
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = beta_regularizer
        self.gamma_regularizer = gamma_regularizer
        self.synchronized = synchronized
        self.supports_masking = True

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"layer '{self.name}': axis {self.axis} is out of range for input shape {tuple(input_shape)}")
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(f"layer '{self.name}' needs a known size on axis {self.axis}, got input shape {tuple(input_shape)}")
        shape = (channels,)
        self.gamma = (self.add_weight(shape, self.gamma_initializer, name="gamma", regularizer=self.gamma_regularizer)
                      if self.scale else None)
        self.beta = (self.add_weight(shape, self.beta_initializer, name="beta", regularizer=self.beta_regularizer)
                     if self.center else None)
        self.moving_mean = self.add_weight(shape, self.moving_mean_initializer, name="moving_mean", trainable=False)
        self.moving_variance = self.add_weight(shape, self.moving_variance_initializer, name="moving_variance",
                                               trainable=False)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: channels})
        self.built = True

    def _scale_and_offset(self, dtype) -> tuple:
        """gamma and beta, or constant ones / zeros when scale / center are off."""
        size = self.moving_mean.shape[0]
        gamma = self.gamma if self.gamma is not None else np.ones(size, dtype)
        beta = self.beta if self.beta is not None else np.zeros(size, dtype)
        return gamma, beta

    def call(self, inputs, training=None, mask=None):
        gamma, beta = self._scale_and_offset(inputs.dtype)
        if training and self.trainable:
            outputs, mean, variance = batch_norm_train(inputs, gamma, beta, axis=self.axis, epsilon=self.epsilon)
            for variable, value in ((self.moving_mean, mean), (self.moving_variance, variance)):
                self.add_update(moving_average_update(variable, value, momentum=self.momentum))
            return outputs
        return batch_norm_infer(inputs, self.moving_mean, self.moving_variance, gamma, beta, axis=self.axis,
                                epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
                "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None,
                "gamma_constraint": None, "synchronized": self.synchronized}
