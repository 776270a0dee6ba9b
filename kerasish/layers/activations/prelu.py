"""PReLU: leaky ReLU whose negative slope `alpha` is learned (per element, or shared over `shared_axes`)."""
from __future__ import annotations

from kerasish import initializers, ops
from kerasish.layers.input_spec import InputSpec
from kerasish.layers.layer import Layer


class PReLU(Layer):
    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = alpha_regularizer
        if shared_axes is None:
            self.shared_axes = None
        else:
            self.shared_axes = [shared_axes] if isinstance(shared_axes, int) else list(shared_axes)
        self.supports_masking = True

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            param_shape[axis - 1] = 1
        if None in param_shape:
            raise ValueError(f"layer '{self.name}' needs known non-batch input dimensions (or shared_axes over "
                             f"the unknown ones), got input shape {tuple(input_shape)}")
        self.alpha = self.add_weight(tuple(param_shape), self.alpha_initializer, name="alpha",
                                     regularizer=self.alpha_regularizer)
        shared = {a % len(input_shape) for a in self.shared_axes or []}
        self.input_spec = InputSpec(ndim=len(input_shape),
                                    axes={i: d for i, d in enumerate(input_shape) if i and i not in shared})
        self.built = True

    def call(self, inputs):
        negative = ops.multiply(ops.negative(self.alpha), ops.relu(ops.negative(inputs)))
        return ops.add(ops.relu(inputs), negative)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": None, "alpha_constraint": None, "shared_axes": self.shared_axes}
