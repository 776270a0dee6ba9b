"""NumPy kernels: pure functions from arrays to arrays, one module per op family."""
import importlib
import pkgutil

from .table import CPU_KERNELS

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "table":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["CPU_KERNELS"]
