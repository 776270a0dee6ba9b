"""TF1-style optimizer base: compute_gradients / apply_gradients / minimize on a graph.

Subclasses create their slot variables and emit one fused update op per variable
(backend/ops/optimizer.py); `apply_gradients` groups the updates into one op to run.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from ..autodiff import gradients
from ..graph import Node, Tensor, get_default_graph
from ..ops.array import group
from ..ops.math import cast
from ..ops.optimizer import scalar
from ..ops.state import assign_add
from ..variables import Variable


def variables_of(loss: Tensor, trainable_only: bool = True) -> list:
    """The variables `loss` depends on (trainable ones by default), in creation order."""
    found: dict = {}
    seen: set = set()
    stack = [loss.node]
    while stack:
        node = stack.pop()
        if node.id in seen:
            continue
        seen.add(node.id)
        if node.op == "variable":
            var = node.attrs["var"]
            if var.trainable or not trainable_only:
                found[id(var)] = var
        stack.extend(t.node for t in node.inputs)
    return sorted(found.values(), key=lambda v: v._uid)


class Optimizer:
    """Base of the TF1 optimizers; subclasses define `_create_slots` and `_apply_dense`."""

    def __init__(self, use_locking: bool = False, name: str = "Optimizer"):
        self._name = name
        self._slots: dict = {}
        self._non_slot_variables: list = []

    def get_name(self) -> str:
        return self._name

    def compute_gradients(self, loss: Tensor, var_list: Optional[Sequence] = None, **unused) -> list:
        """[(gradient or None, variable)] for `var_list` (default: trainable variables `loss` depends on)."""
        if not isinstance(loss, Tensor):
            raise TypeError(f"loss must be a graph Tensor, got {type(loss).__name__}")
        var_list = list(var_list) if var_list is not None else variables_of(loss)
        if not var_list:
            raise ValueError("no variables to optimize: the loss depends on no trainable variable")
        return list(zip(gradients(loss, var_list), var_list))

    def apply_gradients(self, grads_and_vars, global_step: Optional[Variable] = None, name: Optional[str] = None) -> Node:
        """One op that applies every (gradient, variable) update (and increments `global_step`)."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            names = [v.name for _, v in grads_and_vars]
            raise ValueError(f"no gradients provided for any variable, check your graph for ops that do not support gradients; variables: {names}")
        graph = next((g.graph for g, _ in pairs if isinstance(g, Tensor)), get_default_graph())
        with graph.as_default(), graph.name_scope(name or self._name):
            for _, var in pairs:
                self._create_slots(var)
            self._prepare(pairs[0][1].dtype)
            updates = [self._apply_dense(cast(g, v.dtype), v) for g, v in pairs]
            updates += self._finish()
            if global_step is not None:
                updates.append(assign_add(global_step, np.ones((), global_step.dtype)))
            return group(*updates, name=name or self._name)

    def minimize(self, loss: Tensor, global_step: Optional[Variable] = None, var_list: Optional[Sequence] = None,
                 name: Optional[str] = None, **unused) -> Node:
        """compute_gradients then apply_gradients: the op to run once per training step."""
        return self.apply_gradients(self.compute_gradients(loss, var_list), global_step=global_step, name=name)

    # ---- slots ------------------------------------------------------------------------------
    def _slot(self, var: Variable, slot_name: str, fill: float = 0.0) -> Variable:
        """The slot `slot_name` of `var`, created filled with `fill` on first use."""
        per_var = self._slots.setdefault(slot_name, {})
        slot = per_var.get(id(var))
        if slot is None:
            value = np.full(tuple(var.shape), fill, dtype=var.dtype)
            slot = per_var[id(var)] = Variable(value, trainable=False, name=f"{var.name.split(':')[0]}/{self._name}/{slot_name}")
        return slot

    def get_slot(self, var: Variable, name: str) -> Optional[Variable]:
        return self._slots.get(name, {}).get(id(var))

    def get_slot_names(self) -> list:
        return sorted(self._slots)

    def variables(self) -> list:
        """Every variable the optimizer created (slots and non-slot state such as beta powers)."""
        return self._non_slot_variables + [v for slots in self._slots.values() for v in slots.values()]

    def _learning_rate(self, lr, dtype):
        return scalar(lr, dtype)

    # ---- hooks ------------------------------------------------------------------------------
    def _create_slots(self, var: Variable) -> None:
        """Create the slots `var` needs (none by default)."""

    def _prepare(self, dtype) -> None:
        """Compute per-step scalars (e.g. bias corrections) once for all variables."""

    def _apply_dense(self, grad, var: Variable):
        raise NotImplementedError

    def _finish(self) -> list:
        """Extra state updates after all variable updates (e.g. Adam's beta powers)."""
        return []
