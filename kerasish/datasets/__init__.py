"""`keras.datasets`: loaders for locally stored data sets (no downloads)."""
from . import fashion_mnist, mnist, rt_polarity

__all__ = ["fashion_mnist", "mnist", "rt_polarity"]
