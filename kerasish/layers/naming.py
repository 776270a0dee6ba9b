"""Unique default names ("dense", "dense_1", ...) and CamelCase -> snake_case."""
from __future__ import annotations

import re

_counts: dict = {}


def snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base: str) -> str:
    count = _counts.get(base, 0)
    _counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def reset() -> None:
    """Restart numbering (what `keras.backend.clear_session()` does)."""
    _counts.clear()
