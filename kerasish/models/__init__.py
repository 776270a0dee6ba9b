"""Model, Sequential, Functional, and model loading."""
from kerasish.saving.model_saving import (
    clone_model,
    load_model,
    model_from_json,
    save_model,
)

from .functional import Functional
from .model import Model
from .sequential import Sequential

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json", "save_model"]
