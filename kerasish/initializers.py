"""Weight initializers with Keras 3 names, defaults and fan computations."""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from kerasish.backend.device import get_device


def compute_fans(shape) -> tuple:
    """(fan_in, fan_out) as Keras computes them: conv kernels multiply by the receptive field."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Callable `(shape, dtype) -> numpy array`; draws from the seeded device RNG unless `seed` is set."""

    def __init__(self, seed: Optional[int] = None):
        self.seed = seed

    def _rng(self):
        return np.random.default_rng(self.seed) if self.seed is not None else get_device().rng

    def get_config(self) -> dict:
        return {"seed": self.seed}

    @classmethod
    def from_config(cls, config: dict):
        """Build from a config, ignoring keys newer Keras versions add (e.g. input_axes)."""
        import inspect

        accepted = inspect.signature(cls.__init__).parameters
        return cls(**{k: v for k, v in config.items() if k in accepted})


class Zeros(Initializer):
    def __init__(self):
        super().__init__()

    def __call__(self, shape, dtype=None):
        return np.zeros(shape, dtype=dtype or "float32")

    def get_config(self):
        return {}


class Ones(Zeros):
    def __call__(self, shape, dtype=None):
        return np.ones(shape, dtype=dtype or "float32")


class Constant(Initializer):
    def __init__(self, value: float = 0.0):
        super().__init__()
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.full(shape, self.value, dtype=dtype or "float32")

    def get_config(self):
        return {"value": self.value}


class RandomNormal(Initializer):
    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Optional[int] = None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return self._rng().normal(self.mean, self.stddev, size=shape).astype(dtype or "float32")

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(RandomNormal):
    def __call__(self, shape, dtype=None):
        rng = self._rng()
        values = rng.normal(size=shape)
        bad = np.abs(values) > 2
        while bad.any():
            values[bad] = rng.normal(size=int(bad.sum()))
            bad = np.abs(values) > 2
        return (self.mean + self.stddev * values).astype(dtype or "float32")


class RandomUniform(Initializer):
    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Optional[int] = None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        return self._rng().uniform(self.minval, self.maxval, size=shape).astype(dtype or "float32")

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class VarianceScaling(Initializer):
    """scale / fan (fan_in, fan_out or their mean), drawn truncated-normal, normal or uniform."""

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal", seed: Optional[int] = None):
        super().__init__(seed)
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, fan)
        rng = self._rng()
        if self.distribution == "uniform":
            limit = math.sqrt(3 * variance)
            values = rng.uniform(-limit, limit, size=shape)
        elif self.distribution == "untruncated_normal":
            values = rng.normal(0, math.sqrt(variance), size=shape)
        else:
            values = TruncatedNormal(0.0, math.sqrt(variance) / 0.87962566103423978, self.seed)(shape, "float64")
        return np.asarray(values, dtype=dtype or "float32")

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, "seed": self.seed}


def _scaling(name, scale, mode, distribution):
    def __init__(self, seed: Optional[int] = None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self):
        return {"seed": self.seed}

    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                           "__doc__": f"VarianceScaling(scale={scale}, mode={mode!r}, distribution={distribution!r})."})


GlorotUniform = _scaling("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _scaling("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeUniform = _scaling("HeUniform", 2.0, "fan_in", "uniform")
HeNormal = _scaling("HeNormal", 2.0, "fan_in", "truncated_normal")
LecunUniform = _scaling("LecunUniform", 1.0, "fan_in", "uniform")
LecunNormal = _scaling("LecunNormal", 1.0, "fan_in", "truncated_normal")


class Orthogonal(Initializer):
    def __init__(self, gain: float = 1.0, seed: Optional[int] = None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        rows = int(np.prod(shape[:-1]))
        cols = shape[-1]
        flat = self._rng().normal(size=(max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(flat)
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q[:rows, :cols]).reshape(shape).astype(dtype or "float32")

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    def __init__(self, gain: float = 1.0):
        super().__init__()
        self.gain = gain

    def __call__(self, shape, dtype=None):
        return (self.gain * np.eye(*shape)).astype(dtype or "float32")

    def get_config(self):
        return {"gain": self.gain}


ALIASES = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "normal": RandomNormal, "uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling, "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal, "he_uniform": HeUniform, "he_normal": HeNormal, "lecun_uniform": LecunUniform,
    "lecun_normal": LecunNormal, "orthogonal": Orthogonal, "identity": Identity,
}
CLASSES = {cls.__name__: cls for cls in ALIASES.values()}


def get(identifier):
    """An initializer from a name ("glorot_uniform"), a config dict, a class, an instance or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        cls = ALIASES.get(identifier) or CLASSES.get(identifier)
        if cls is None:
            raise ValueError(f"unknown initializer '{identifier}'; valid names: {sorted(ALIASES)}")
        return cls()
    if isinstance(identifier, dict):
        return CLASSES[identifier["class_name"]].from_config(identifier.get("config", {}))
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"cannot interpret {identifier!r} as an initializer")


def serialize(initializer) -> dict:
    return {"module": "keras.initializers", "class_name": type(initializer).__name__,
            "config": initializer.get_config(), "registered_name": None}
