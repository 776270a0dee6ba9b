"""kerasish: a Keras-compatible deep-learning library on its own graph compiler.

`import kerasish as keras` and write Keras 3 code.
"""
from kerasish import backend  # noqa: I001  (the backend registers its ops first)
from kerasish import activations, initializers, ops
from kerasish import layers
from kerasish.layers import Input, InputLayer, Layer
from kerasish.models import Model, Sequential
from kerasish import callbacks, losses, metrics, optimizers, utils, models, datasets, preprocessing, regularizers, saving
from kerasish.variables import KerasVariable as Variable

__version__ = "0.1.0"
