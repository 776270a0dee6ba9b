"""Progress bar for training loops: a live rich bar on terminals, plain lines elsewhere."""
import math
import time
from typing import Iterable, List, Optional, Sequence, Tuple

import numpy as np
from rich.console import Console
from rich.live import Live
from rich.text import Text


def _format_eta(seconds: float) -> str:
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def _format_time_per_unit(seconds: float, unit_name: str) -> str:
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit_name}"
    return f"{seconds * 1e6:.0f}us/{unit_name}"


def _format_value(value: float) -> str:
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"


class Progbar:
    """Displays progress towards `target` steps (Keras 3 `Progbar` API).

    verbose=1: on a terminal, a live bar with step count, ETA, time per step
    and running metrics; elsewhere (pipes, CI, log files) a single plain line
    once the target is reached, so logs carry no ANSI codes. verbose=2: that
    plain line only, e.g. "100/100 - 1s - 3ms/step - accuracy: 0.9000 - loss: 0.3000".
    verbose=0: silent.

    Metric values are averaged over the steps seen, except the names in
    `stateful_metrics`, which are shown as last given.
    """

    def __init__(self, target: Optional[int], width: int = 20, verbose: int = 1, interval: float = 0.05,
                 stateful_metrics: Optional[Iterable[str]] = None, unit_name: str = "step",
                 console: Optional[Console] = None) -> None:
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.stateful_metrics = set(stateful_metrics or ())
        self.unit_name = unit_name
        self._console = console or Console(highlight=False)
        self._values = {}
        self._values_order: List[str] = []
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step: Optional[float] = None
        self._live: Optional[Live] = None

    @property
    def _dynamic_display(self) -> bool:
        return self._console.is_terminal and not self._console.is_dumb_terminal

    def update(self, current: int, values: Optional[Sequence[Tuple[str, float]]] = None,
               finalize: Optional[bool] = None) -> None:
        """Records progress to step `current` with `(name, value)` pairs, and redraws."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values or (), finalize)
        now = time.time()
        time_per_unit = self._step_duration(current, now)
        if self.verbose == 1 and self._dynamic_display:
            if finalize or now - self._last_update >= self.interval:
                self._draw_live(current, now, time_per_unit, finalize)
                self._last_update = now
        elif self.verbose in (1, 2) and finalize:
            self._console.print(self._plain_line(current, now, time_per_unit), markup=False, highlight=False,
                                soft_wrap=True)

    def add(self, n: int, values: Optional[Sequence[Tuple[str, float]]] = None) -> None:
        """Advances by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _record(self, current: int, values: Sequence[Tuple[str, float]], finalize: bool) -> None:
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            value = float(np.mean(value))
            if name in self.stateful_metrics or finalize:
                self._values[name] = [value, 1]
            else:
                steps = max(current - self._seen_so_far, 1)
                total, count = self._values.get(name, [0.0, 0])
                self._values[name] = [total + value * steps, count + steps]
        self._seen_so_far = current

    def _step_duration(self, current: int, now: float) -> float:
        """Seconds per step, leaving out the first step (graph building) once there are more."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            duration = (now - self._time_after_first_step) / (current - 1)
        else:
            duration = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return duration

    def _metrics_text(self) -> str:
        return "".join(f" - {name}: {_format_value(self._values[name][0] / max(1, self._values[name][1]))}"
                       for name in self._values_order)

    def _count_text(self, current: int) -> str:
        if self.target is None:
            return "%7d/Unknown" % current
        digits = int(math.log10(max(self.target, 1))) + 1
        return ("%" + str(digits) + "d/%d") % (current, self.target)

    def _plain_line(self, current: int, now: float, time_per_unit: float) -> str:
        return (f"{self._count_text(current)} - {now - self._start:.0f}s - "
                f"{_format_time_per_unit(time_per_unit, self.unit_name)}{self._metrics_text()}")

    def _live_line(self, current: int, now: float, time_per_unit: float, finalize: bool) -> Text:
        line = Text()
        line.append(self._count_text(current), style="bold")
        if self.target is not None:
            done = int(self.width * min(current / self.target, 1.0)) if self.target else self.width
            line.append(" ")
            line.append("━" * done, style="green")
            line.append("━" * (self.width - done), style="bright_black")
        if self.target is not None and not finalize:
            timing = _format_eta(time_per_unit * (self.target - current))
        else:
            timing = f"{now - self._start:.0f}s"
        line.append(" ")
        line.append(timing, style="bold")
        line.append(f" {_format_time_per_unit(time_per_unit, self.unit_name)}{self._metrics_text()}")
        return line

    def _draw_live(self, current: int, now: float, time_per_unit: float, finalize: bool) -> None:
        line = self._live_line(current, now, time_per_unit, finalize)
        if self._live is None:
            self._live = Live(line, console=self._console, auto_refresh=False, transient=False)
            self._live.start()
        self._live.update(line, refresh=True)
        if finalize:
            self._live.stop()
            self._live = None
