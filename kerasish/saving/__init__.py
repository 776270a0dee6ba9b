"""`keras.saving`: save/load models and weights, and Keras 3 object serialization."""
from .model_saving import load_model, load_weights, save_model, save_weights
from .object_registration import (CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
                                  get_registered_object, register_keras_serializable)
from .serialization import deserialize_keras_object, serialize_keras_object

__all__ = ["load_model", "save_model", "save_weights", "load_weights", "register_keras_serializable",
           "get_registered_name", "get_registered_object", "get_custom_objects", "custom_object_scope",
           "CustomObjectScope", "serialize_keras_object", "deserialize_keras_object"]
