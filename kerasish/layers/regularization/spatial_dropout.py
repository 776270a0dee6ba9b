"""SpatialDropout1D / 2D: dropout of whole feature channels (one mask entry per example and channel)."""
from __future__ import annotations

from kerasish.layers.arguments import normalize_data_format
from kerasish.layers.input_spec import InputSpec

from .dropout import Dropout


class _SpatialDropout(Dropout):
    """Dropout with noise shape (batch, 1, ..., 1, channels) over inputs of rank `ndim`."""
    ndim: int

    def __init__(self, rate: float, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.noise_shape = (None,) + (1,) * (self.ndim - 2) + (None,)
        self.input_spec = InputSpec(ndim=self.ndim)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["noise_shape"]
        return config


class SpatialDropout1D(_SpatialDropout):
    ndim = 3


class SpatialDropout2D(_SpatialDropout):
    ndim = 4

    def __init__(self, rate: float, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = normalize_data_format(data_format, "SpatialDropout2D")

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}
