"""Shared base of the callbacks that watch one logged quantity for improvement."""
import operator
import warnings
from typing import Callable, Optional

from .callback import Callback

_UP_WORDS = ("acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "r2", "cosine_similarity")
_DOWN_WORDS = ("loss", "error", "crossentropy", "hinge", "divergence", "poisson", "logcosh", "mse", "mae", "mape")


class MonitorCallback(Callback):
    """Decides whether a monitored value improved, as Keras' MonitorCallback does.

    mode "min"/"max" fixes the direction; "auto" takes it from the model's metric
    (`_direction` "up"/"down") or, failing that, from the metric's name.
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", baseline: Optional[float] = None,
                 min_delta: float = 0.0) -> None:
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op: Optional[Callable[[float, float], bool]] = None

    def _set_monitor_op(self) -> None:
        direction = {"min": "down", "max": "up"}.get(self.mode) or self._metric_direction()
        if direction is None:
            raise ValueError(
                f"{type(self).__name__} callback received monitor={self.monitor}, but kerasish cannot tell "
                "whether that metric should be maximized or minimized. Pass `mode='max'` to monitor based on "
                "the highest value, or `mode='min'` to use the lowest value.")
        self.monitor_op = operator.gt if direction == "up" else operator.lt
        if direction == "down":
            self.min_delta = -self.min_delta

    def _metric_direction(self) -> Optional[str]:
        name = self.monitor[len("val_"):] if self.monitor.startswith("val_") else self.monitor
        if name == "loss":
            return "down"
        for metric in getattr(self.model, "metrics", None) or []:
            for candidate in [metric] + list(getattr(metric, "metrics", [])):
                if getattr(candidate, "name", None) == name and getattr(candidate, "_direction", None):
                    return candidate._direction
        if any(word in name for word in _DOWN_WORDS):
            return "down"
        if any(word in name for word in _UP_WORDS):
            return "up"
        return None

    def _is_improvement(self, value: float, reference: Optional[float]) -> bool:
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))
