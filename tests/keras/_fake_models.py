"""Small stand-ins for kerasish models, exposing only what callbacks and summaries use."""
import numpy as np


class FakeOptimizer:
    def __init__(self, learning_rate=0.01, variables=None):
        self.learning_rate = learning_rate
        self.variables = list(variables or [])
        self.built = variables is not None


class FakeModel:
    """Holds named weights, an optimizer, `stop_training` and summary rows."""

    def __init__(self, name="model", rows=(), trainable=(), non_trainable=(), functional=False, optimizer=None):
        self.name = name
        self._rows = list(rows)
        self.trainable_weights = list(trainable)
        self.non_trainable_weights = list(non_trainable)
        self._is_functional = functional
        self.optimizer = optimizer or FakeOptimizer()
        self.stop_training = False
        self.saved = []

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    def get_weights(self):
        return [np.array(w) for w in self.weights]

    def set_weights(self, values):
        for weight, value in zip(self.weights, values):
            weight[...] = value

    def _summary_rows(self):
        return self._rows


class SavingModel(FakeModel):
    """A fake model that also records `save_weights` / `save` calls (and writes the files)."""

    def save_weights(self, filepath, overwrite=True):
        self._write("save_weights", filepath)

    def save(self, filepath, overwrite=True):
        self._write("save", filepath)

    def _write(self, method, filepath):
        with open(filepath, "w") as handle:
            handle.write(method)
        self.saved.append((method, filepath))
