"""`Model`: a Layer that trains. `Model(inputs, outputs)` makes a Functional model."""
from __future__ import annotations

from typing import Optional

from kerasish.layers.layer import Layer
from kerasish.trainers.trainer import Trainer


class Model(Trainer, Layer):
    """Subclass and define `call(inputs, training=None)`, or pass `inputs=` and `outputs=`."""

    def __new__(cls, *args, **kwargs):
        if cls is Model and (len(args) >= 2 or "inputs" in kwargs or "outputs" in kwargs):
            from .functional import Functional

            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, trainable: bool = True, name: Optional[str] = None, dtype=None, **kwargs):
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype)
        Trainer.__init__(self)

    _is_functional = False

    def get_layer(self, name: Optional[str] = None, index: Optional[int] = None) -> Layer:
        if index is not None:
            if not 0 <= index < len(self.layers):
                raise ValueError(f"model '{self.name}' has {len(self.layers)} layers; index {index} is out of range")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"no layer named '{name}' in model '{self.name}'; layers: {[l.name for l in self.layers]}")

    @property
    def layers(self) -> list:
        return list(self._layers)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested: bool = False,
                show_trainable: bool = False, layer_range=None) -> None:
        """Print the layer table and parameter totals as Keras does (drawn with rich)."""
        from kerasish.utils.summary_utils import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable)

    def _summary_rows(self) -> list:
        rows = []
        for layer in self.layers:
            try:
                shape = layer.output.shape if layer._inbound_nodes else None
            except AttributeError:
                shape = None
            rows.append({
                "name": layer.name, "class_name": type(layer).__name__, "output_shape": shape,
                "params": layer.count_params() if layer.built else 0,
                "connected_to": self._connections(layer) if self._is_functional else None,
                "trainable": layer.trainable, "nested": layer if isinstance(layer, Model) else None,
            })
        return rows

    def _connections(self, layer) -> list:
        return []

    # ---- saving (kerasish.saving does the work) -------------------------------------
    def save_weights(self, filepath, overwrite: bool = True, save_format: Optional[str] = None) -> None:
        from kerasish.saving import model_saving

        model_saving.save_weights(self, filepath, overwrite=overwrite, save_format=save_format)

    def load_weights(self, filepath, skip_mismatch: bool = False, by_name: bool = False) -> None:
        from kerasish.saving import model_saving

        model_saving.load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)

    def save(self, filepath, overwrite: bool = True, include_optimizer: bool = True,
             save_format: Optional[str] = None) -> None:
        from kerasish.saving import model_saving

        model_saving.save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer,
                                save_format=save_format)

    def to_json(self, **kwargs) -> str:
        from kerasish.saving import model_saving

        return model_saving.to_json(self, **kwargs)
