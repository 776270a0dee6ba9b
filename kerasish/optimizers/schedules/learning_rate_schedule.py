"""Keras 3 learning-rate schedules: functions of the optimizer step built from backend ops.

Called with the optimizer's `iterations` variable inside a graph they add nodes (so the
rate follows the step with no recompilation); called with an int they run at once and
return a rank-0 NumPy array.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from kerasish import backend
from kerasish.backend.ops.math import (add, cast, cos, divide, floor, greater, less, less_equal, logical_and, minimum,
                                       multiply, power, subtract, where)


def _float(value) -> np.generic:
    return backend.as_dtype(None).type(value)


def _float_step(step):
    return cast(step, backend.as_dtype(None))


class LearningRateSchedule:
    """Base class: `schedule(step) -> learning rate`; subclasses define `__call__` and `get_config`."""

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`.")

    def get_config(self) -> dict:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `get_config()`.")

    @classmethod
    def from_config(cls, config: dict) -> "LearningRateSchedule":
        return cls(**config)


def _check_decay_steps(decay_steps) -> None:
    if decay_steps <= 0:
        raise ValueError(f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}")


class _RateDecay(LearningRateSchedule):
    """Shared arguments of the schedules decaying by `decay_rate` every `decay_steps`."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float, staircase: bool = False,
                 name: str = ""):
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__

    def _progress(self, step):
        p = divide(_float_step(step), _float(self.decay_steps))
        return floor(p) if self.staircase else p

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_RateDecay):
    """initial_learning_rate * decay_rate ** (step / decay_steps) (integer division when staircase)."""

    def __call__(self, step):
        return multiply(_float(self.initial_learning_rate), power(_float(self.decay_rate), self._progress(step)))


class InverseTimeDecay(_RateDecay):
    """initial_learning_rate / (1 + decay_rate * step / decay_steps) (floored ratio when staircase)."""

    def __call__(self, step):
        return divide(_float(self.initial_learning_rate), add(_float(1.0), multiply(_float(self.decay_rate), self._progress(step))))


class PiecewiseConstantDecay(LearningRateSchedule):
    """values[0] for step <= boundaries[0], values[i] for boundaries[i-1] < step <= boundaries[i], values[-1] after."""

    def __init__(self, boundaries: Sequence, values: Sequence, name: str = "PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of boundaries should be 1 less than the length of values. Received: "
                             f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of length {len(values)}.")
        self.boundaries = list(boundaries)
        self.values = list(values)
        self.name = name

    def __call__(self, step):
        step_dtype = step.dtype if hasattr(step, "dtype") else np.asarray(step).dtype
        bounds = [np.asarray(b).astype(step_dtype) for b in self.boundaries]
        values = np.asarray(self.values)
        values = values.astype(backend.as_dtype(None)) if values.dtype.kind == "f" else values
        result_dtype = values.dtype

        def weighted(condition, value):
            return multiply(cast(condition, result_dtype), value)

        terms = [weighted(less_equal(step, bounds[0]), values[0]), weighted(greater(step, bounds[-1]), values[-1])]
        for low, high, value in zip(bounds[:-1], bounds[1:], values[1:-1]):
            terms.append(weighted(logical_and(greater(step, low), less_equal(step, high)), value))
        result = terms[0]
        for term in terms[1:]:
            result = add(result, term)
        return result

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay from initial_learning_rate (or warmup_target after a linear warmup) to alpha * that rate."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0, name: str = "CosineDecay",
                 warmup_target: Optional[float] = None, warmup_steps: int = 0):
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step, decay_from):
        fraction = divide(step, _float(self.decay_steps))
        cosine = multiply(_float(0.5), add(_float(1.0), cos(multiply(_float(math.pi), fraction))))
        decayed = add(multiply(_float(1 - self.alpha), cosine), _float(self.alpha))
        return multiply(_float(decay_from), decayed)

    def __call__(self, step):
        step = _float_step(step)
        if self.warmup_target is None:
            return self._decay(minimum(step, _float(self.decay_steps)), self.initial_learning_rate)
        warmup_steps = _float(self.warmup_steps)
        step = minimum(step, _float(self.decay_steps) + warmup_steps)
        with np.errstate(divide="ignore", invalid="ignore"):
            warm = add(multiply(_float(self.warmup_target - self.initial_learning_rate), divide(step, warmup_steps)),
                       _float(self.initial_learning_rate))
            decay = self._decay(subtract(step, warmup_steps), self.warmup_target)
            return where(less(step, warmup_steps), warm, decay)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


ALL_SCHEDULES = (ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, CosineDecay)


def serialize(schedule: LearningRateSchedule) -> dict:
    """The Keras 3 serialized form: {"module", "class_name", "config", "registered_name"}."""
    return {"module": "keras.optimizers.schedules", "class_name": type(schedule).__name__,
            "config": schedule.get_config(), "registered_name": None}


def deserialize(config: dict, custom_objects: Optional[dict] = None) -> LearningRateSchedule:
    known = {cls.__name__: cls for cls in ALL_SCHEDULES}
    known.update(custom_objects or {})
    name = config.get("class_name") if isinstance(config, dict) else None
    if name not in known:
        raise ValueError(f"Unknown learning rate schedule: '{name}'. Valid names: {sorted(known)}")
    return known[name].from_config(config.get("config", {}))
