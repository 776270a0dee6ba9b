"""A device is an array module, a kernel table and a random generator.

Graph code never imports kernels: it asks the current device for the kernel of an op.
Adding the GPU means adding a kernel table, not forking the graph code.
"""
from __future__ import annotations

import contextlib
from typing import Callable, Iterator, Optional

import numpy as np


class KernelTable(dict):
    """op name -> kernel function; `out_capable` lists kernels taking an `out=` buffer."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.out_capable: set = set()

    def register(self, *op_names: str, out: bool = False) -> Callable:
        def decorate(fn: Callable) -> Callable:
            for op_name in op_names:
                if op_name in self:
                    raise ValueError(f"{self.name}: kernel for '{op_name}' registered twice")
                self[op_name] = fn
                if out:
                    self.out_capable.add(op_name)
            return fn

        return decorate


class Device:
    """Where kernels run: `xp` is numpy or cupy, `kernels` the table, `rng` the seeded generator."""

    def __init__(self, name: str, xp, kernels: KernelTable, seed: Optional[int] = None):
        self.name = name
        self.xp = xp
        self.kernels = kernels
        self.rng = xp.random.default_rng(seed)

    def seed(self, seed: Optional[int]) -> None:
        self.rng = self.xp.random.default_rng(seed)

    def asarray(self, value, dtype=None):
        return self.xp.asarray(value, dtype=dtype)

    def to_numpy(self, array) -> np.ndarray:
        return np.asarray(array)

    def kernel(self, op: str) -> Callable:
        try:
            return self.kernels[op]
        except KeyError:
            raise NotImplementedError(f"device '{self.name}' has no kernel for op '{op}'") from None

    def __repr__(self) -> str:
        return f"<Device {self.name}>"


_devices: dict = {}
_current: list = []


def _cpu() -> Device:
    if "cpu" not in _devices:
        from .kernels.cpu import CPU_KERNELS

        _devices["cpu"] = Device("cpu", np, CPU_KERNELS)
    return _devices["cpu"]


def get_device(name: Optional[str] = None) -> Device:
    """The device called `name` ('cpu'), or the current one."""
    if name is None:
        return _current[-1] if _current else _cpu()
    key = name.split(":")[0].lower()
    if key == "cpu":
        return _cpu()
    raise ValueError(f"unknown device '{name}'; available: 'cpu'")


@contextlib.contextmanager
def device(name: str) -> Iterator[Device]:
    """Run ops and compiled plans made inside on device `name`."""
    _current.append(get_device(name))
    try:
        yield _current[-1]
    finally:
        _current.pop()


def set_random_seed(seed: Optional[int]) -> None:
    """Reseed every device's generator, so runs repeat exactly."""
    _cpu()
    for dev in _devices.values():
        dev.seed(seed)
