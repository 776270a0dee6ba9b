"""`keras.Input` and `InputLayer`: where a functional graph starts."""
from __future__ import annotations

from typing import Optional

from .keras_tensor import KerasTensor, Node
from .layer import Layer


class InputLayer(Layer):
    """Holds the batch shape and dtype of a model input; has no weights."""

    def __init__(self, shape=None, batch_size: Optional[int] = None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, name: Optional[str] = None, **kwargs):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name or None, dtype=dtype, **kwargs)
        if batch_shape is None:
            if shape is None:
                raise ValueError("Input needs a `shape` (without the batch dimension) or a `batch_shape`")
            batch_shape = (batch_size,) + tuple(shape)
        self.batch_shape = tuple(batch_shape)
        self.built = True
        self._build_shapes = self.batch_shape
        tensor = KerasTensor(self.batch_shape, self.dtype, self, 0, 0, name=self.name)
        self._inbound_nodes.append(Node(self, (), {}, tensor))
        self.output_tensor = tensor

    def call(self, inputs):
        return inputs

    def get_config(self) -> dict:
        return {"batch_shape": list(self.batch_shape), "dtype": self.dtype, "sparse": False, "name": self.name}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        config.pop("ragged", None)
        config.pop("optional", None)
        return cls(**config)


def Input(shape=None, batch_size: Optional[int] = None, dtype=None, sparse=None, batch_shape=None, name: Optional[str] = None,
          tensor=None, optional: bool = False) -> KerasTensor:
    """A symbolic model input of shape `(batch_size,) + shape`."""
    if shape is not None and not isinstance(shape, (tuple, list)):
        shape = (shape,)
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, batch_shape=batch_shape, name=name).output_tensor
