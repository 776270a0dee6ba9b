"""Fused optimizer updates and gradient clipping.

Each update rule is ONE stateful, non-differentiable op whose kernel updates the variable
and its slot variables in place (the compiler's "fused optimizer update"). Inputs are,
in order: the variable, its slots, the gradient, then scalar tensors (learning rate and
step-dependent factors, so changing them needs no recompilation). Constant
hyperparameters (betas, epsilon, momentum) are attributes. The op's output is the
updated variable, so a later op (a constraint, a second update) can depend on it.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from .. import dtypes
from ..graph import TensorSpec
from ..registry import REQUIRED, ShapeError, define_op
from ._shapes import dims_match
from .math import add, add_n, cast, clip, divide, maximum, minimum, multiply, reduce_sum, sqrt, square, subtract


def _update_infer(n_scalars: int, n_slots: Callable[[dict], int]) -> Callable:
    """Inference for an update op: var, slots and grad share shape and dtype; scalars are rank 0."""
    def infer(*inputs, **attrs):
        slots = n_slots(attrs)
        expected = 2 + slots + n_scalars
        if len(inputs) != expected:
            raise ShapeError(f"expected {expected} inputs (variable, {slots} slot(s), gradient, {n_scalars} scalar(s)), got {len(inputs)}")
        var = inputs[0]
        if not dtypes.is_float(var.dtype):
            raise ShapeError(f"only floating-point variables can be updated, got {var.dtype.name}")
        for i, t in enumerate(inputs[1:2 + slots], start=1):
            what = "gradient" if i == 1 + slots else f"slot {i - 1}"
            if len(t.shape) != len(var.shape) or not all(dims_match(a, b) for a, b in zip(t.shape, var.shape)):
                raise ShapeError(f"{what} of shape {t.shape} does not match the variable's shape {var.shape}")
            if t.dtype != var.dtype:
                raise ShapeError(f"{what} has dtype {t.dtype.name}, the variable {var.dtype.name}")
        for t in inputs[2 + slots:]:
            if tuple(t.shape) != () or t.dtype != var.dtype:
                raise ShapeError(f"scalar inputs must be rank-0 {var.dtype.name}, got {t.shape} {t.dtype.name}")
        return TensorSpec(var.shape, var.dtype)
    return infer


def _define_update(name: str, n_scalars: int, n_slots: Callable[[dict], int], attrs: Optional[dict] = None):
    return define_op(name, _update_infer(n_scalars, n_slots), attrs=attrs or {}, stateful=True, differentiable=False)


def _fixed(n: int) -> Callable[[dict], int]:
    return lambda attrs: n


apply_gradient_descent = _define_update("apply_gradient_descent", 1, _fixed(0))
apply_keras_momentum = _define_update("apply_keras_momentum", 1, _fixed(1), {"momentum": REQUIRED, "nesterov": False})
apply_momentum = _define_update("apply_momentum", 1, _fixed(1), {"momentum": REQUIRED, "nesterov": False})
apply_adagrad = _define_update("apply_adagrad", 1, _fixed(1), {"epsilon": 0.0})
apply_rmsprop = _define_update(
    "apply_rmsprop", 1, lambda a: 1 + (a["momentum"] is not None) + bool(a["centered"]),
    {"rho": REQUIRED, "momentum": None, "epsilon": REQUIRED, "centered": False})
apply_adadelta = _define_update("apply_adadelta", 1, _fixed(2), {"rho": REQUIRED, "epsilon": REQUIRED})
apply_adam = _define_update("apply_adam", 1, lambda a: 2 + bool(a["amsgrad"]),
                            {"beta_1": REQUIRED, "beta_2": REQUIRED, "epsilon": REQUIRED, "amsgrad": False})
apply_adamax = _define_update("apply_adamax", 2, _fixed(2), {"beta_1": REQUIRED, "beta_2": REQUIRED, "epsilon": REQUIRED})
apply_nadam = _define_update("apply_nadam", 5, _fixed(2), {"beta_1": REQUIRED, "beta_2": REQUIRED, "epsilon": REQUIRED})


def _weight_decay_infer(var, lr, weight_decay):
    if not dtypes.is_float(var.dtype) or tuple(lr.shape) != () or lr.dtype != var.dtype:
        raise ShapeError(f"weight decay needs a float variable and a rank-0 learning rate of its dtype, got {var.dtype.name} and {lr.shape} {lr.dtype.name}")
    return TensorSpec(var.shape, var.dtype)


# var -= var * weight_decay * lr: decoupled weight decay, applied by Keras 3 before the update.
apply_weight_decay = define_op("apply_weight_decay", _weight_decay_infer, attrs={"weight_decay": REQUIRED},
                               stateful=True, differentiable=False)


def scalar(value, dtype) -> object:
    """`value` (float, array or tensor) as a rank-0 value of `dtype`, for an update's scalar input."""
    return cast(value, dtype) if hasattr(value, "dtype") else dtypes.as_dtype(dtype).type(value)


# ---- gradient clipping (graph code, runs before the update) ------------------------------
def clip_by_value(grad, clip_value: float):
    """Elementwise clip to [-clip_value, clip_value]."""
    return clip(grad, min=-float(clip_value), max=float(clip_value))


def clip_by_norm(grad, clip_norm: float):
    """grad * clip_norm / max(||grad||, clip_norm): rescale a tensor whose L2 norm exceeds clip_norm."""
    norm = sqrt(reduce_sum(square(grad), keepdims=True))
    return divide(multiply(grad, float(clip_norm)), maximum(norm, float(clip_norm)))


def global_norm(grads: Sequence):
    """sqrt of the sum of squares of every entry of every (non-None) tensor."""
    return sqrt(add_n(*[reduce_sum(square(g)) for g in grads if g is not None]))


def clip_by_global_norm(grads: Sequence, clip_norm: float, use_norm=None) -> tuple:
    """(grads scaled by clip_norm / max(global_norm, clip_norm), global_norm); NaN everywhere if the norm is not finite."""
    norm = global_norm(grads) if use_norm is None else use_norm
    scale = multiply(minimum(divide(1.0, norm), 1.0 / float(clip_norm)), float(clip_norm))
    scale = add(scale, subtract(norm, norm))
    return [None if g is None else multiply(g, cast(scale, g.dtype)) for g in grads], norm
