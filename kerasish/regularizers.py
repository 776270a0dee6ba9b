"""Weight regularizers: callables from a variable to a scalar penalty added to the loss."""
from __future__ import annotations

from kerasish.backend.ops import math as M


class Regularizer:
    def __call__(self, x):
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


class L1L2(Regularizer):
    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        terms = []
        if self.l1:
            terms.append(M.multiply(M.reduce_sum(M.absolute(x)), self.l1))
        if self.l2:
            terms.append(M.multiply(M.reduce_sum(M.square(x)), self.l2))
        return terms[0] if len(terms) == 1 else M.add(terms[0], terms[1])

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1: float = 0.01):
        super().__init__(l1=l1)

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2: float = 0.01):
        super().__init__(l2=l2)

    def get_config(self) -> dict:
        return {"l2": self.l2}


l1, l2, l1_l2 = L1, L2, L1L2
ALIASES = {"l1": L1, "l2": L2, "l1_l2": L1L2, "L1": L1, "L2": L2, "L1L2": L1L2}


def get(identifier):
    if identifier is None or isinstance(identifier, Regularizer) or callable(identifier) and not isinstance(identifier, type):
        return identifier
    if isinstance(identifier, str):
        if identifier not in ALIASES:
            raise ValueError(f"unknown regularizer '{identifier}'; valid names: {sorted(ALIASES)}")
        return ALIASES[identifier]()
    if isinstance(identifier, dict):
        return ALIASES[identifier["class_name"]].from_config(identifier.get("config", {}))
    raise ValueError(f"cannot interpret {identifier!r} as a regularizer")
