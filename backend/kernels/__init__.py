"""Kernel tables per device: `cpu` (NumPy) now; a CuPy table plugs in beside it."""
