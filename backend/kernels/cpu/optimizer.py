"""Fused optimizer updates: each kernel updates the variable and its slots in place.

They run every step for every weight, so they use `out=` ufunc calls into at most two
scratch buffers (one flat array per dtype, grown to the largest weight and reused by
every kernel) instead of allocating temporaries. The arithmetic follows the Keras 3 /
TF1 formulas operation for operation, so float32 results match theirs.
"""
import threading

import numpy as np

from .table import register


class _Scratch(threading.local):
    def __init__(self):
        self.buffers: dict = {}


_scratch_state = _Scratch()


def _scratch(like: np.ndarray, k: int = 0) -> np.ndarray:
    """Scratch buffer `k` with the shape and dtype of `like` (valid until the kernel returns)."""
    key = (like.dtype, k)
    flat = _scratch_state.buffers.get(key)
    if flat is None or flat.size < like.size:
        flat = _scratch_state.buffers[key] = np.empty(like.size, like.dtype)
    return flat[:like.size].reshape(like.shape)


def _ema(slot, value, decay, t):
    """slot = decay * slot + (1 - decay) * value, with `t` as scratch (value may be t)."""
    np.multiply(value, 1.0 - decay, out=t)
    np.multiply(slot, decay, out=slot)
    np.add(slot, t, out=slot)


def _move_toward(slot, value, rate, t):
    """slot += (value - slot) * rate (the Keras 3 form of a moving average)."""
    np.subtract(value, slot, out=t)
    np.multiply(t, rate, out=t)
    np.add(slot, t, out=slot)


@register("apply_gradient_descent")
def apply_gradient_descent(var, grad, lr):
    t = np.multiply(grad, lr, out=_scratch(var))
    return np.subtract(var, t, out=var)


@register("apply_keras_momentum")
def apply_keras_momentum(var, m, grad, lr, momentum, nesterov):
    """Keras SGD: m = m*momentum - g*lr; var += m (nesterov: var += m*momentum - g*lr)."""
    step = np.multiply(grad, lr, out=_scratch(var))
    np.multiply(m, momentum, out=m)
    np.subtract(m, step, out=m)
    if not nesterov:
        return np.add(var, m, out=var)
    t = np.multiply(m, momentum, out=_scratch(var, 1))
    np.subtract(t, step, out=t)
    return np.add(var, t, out=var)


@register("apply_momentum")
def apply_momentum(var, accum, grad, lr, momentum, nesterov):
    """TF1 MomentumOptimizer: accum = accum*momentum + g; var -= lr*accum (nesterov: lr*(g + momentum*accum))."""
    np.multiply(accum, momentum, out=accum)
    np.add(accum, grad, out=accum)
    t = _scratch(var)
    if nesterov:
        np.multiply(accum, momentum, out=t)
        np.add(t, grad, out=t)
        np.multiply(t, lr, out=t)
    else:
        np.multiply(accum, lr, out=t)
    return np.subtract(var, t, out=var)


@register("apply_adagrad")
def apply_adagrad(var, acc, grad, lr, epsilon):
    """acc += g^2; var -= lr*g / sqrt(acc + epsilon) (TF1: epsilon = 0)."""
    t, step = _scratch(var), _scratch(var, 1)
    np.square(grad, out=t)
    np.add(acc, t, out=acc)
    if epsilon:
        np.add(acc, epsilon, out=t)
        np.sqrt(t, out=t)
    else:
        np.sqrt(acc, out=t)
    np.multiply(grad, lr, out=step)
    np.divide(step, t, out=step)
    return np.subtract(var, step, out=var)


@register("apply_rmsprop")
def apply_rmsprop(var, ms, *rest, rho, momentum, epsilon, centered):
    """ms = rho*ms + (1-rho)*g^2 (centered: mg likewise with g, denominator ms - mg^2);
    incr = lr*g / sqrt(denominator + eps); momentum: mom = momentum*mom + incr; var -= mom or incr.
    Slots after ms: mom (when momentum is not None), then mg (when centered)."""
    grad, lr = rest[-2], rest[-1]
    mom = rest[0] if momentum is not None else None
    t, incr = _scratch(var), _scratch(var, 1)
    np.square(grad, out=t)
    _ema(ms, t, rho, t)
    if centered:
        mg = rest[1 if mom is not None else 0]
        _ema(mg, grad, rho, t)
        np.square(mg, out=t)
        np.subtract(ms, t, out=t)
        np.add(t, epsilon, out=t)
    else:
        np.add(ms, epsilon, out=t)
    np.sqrt(t, out=t)
    np.multiply(grad, lr, out=incr)
    np.divide(incr, t, out=incr)
    if mom is None:
        return np.subtract(var, incr, out=var)
    np.multiply(mom, momentum, out=mom)
    np.add(mom, incr, out=mom)
    return np.subtract(var, mom, out=var)


@register("apply_adadelta")
def apply_adadelta(var, acc_grad, acc_delta, grad, lr, rho, epsilon):
    """acc_g = rho*acc_g + (1-rho)*g^2; upd = sqrt(acc_d + eps) * g / sqrt(acc_g + eps);
    acc_d = rho*acc_d + (1-rho)*upd^2; var -= lr*upd."""
    t, upd = _scratch(var), _scratch(var, 1)
    np.square(grad, out=t)
    _ema(acc_grad, t, rho, t)
    np.add(acc_delta, epsilon, out=upd)
    np.sqrt(upd, out=upd)
    np.multiply(upd, grad, out=upd)
    np.add(acc_grad, epsilon, out=t)
    np.sqrt(t, out=t)
    np.divide(upd, t, out=upd)
    np.square(upd, out=t)
    _ema(acc_delta, t, rho, t)
    np.multiply(upd, lr, out=upd)
    return np.subtract(var, upd, out=var)


@register("apply_adam")
def apply_adam(var, m, v, *rest, beta_1, beta_2, epsilon, amsgrad):
    """m += (g-m)*(1-b1); v += (g^2-v)*(1-b2); (amsgrad: v_hat = max(v_hat, v));
    var -= m*alpha / (sqrt(v or v_hat) + eps), alpha = lr*sqrt(1-b2^t)/(1-b1^t) computed in the graph."""
    grad, alpha = rest[-2], rest[-1]
    t, step = _scratch(var), _scratch(var, 1)
    _move_toward(m, grad, 1.0 - beta_1, t)
    np.square(grad, out=step)
    _move_toward(v, step, 1.0 - beta_2, t)
    if amsgrad:
        v = np.maximum(rest[0], v, out=rest[0])
    np.sqrt(v, out=t)
    np.add(t, epsilon, out=t)
    np.multiply(m, alpha, out=step)
    np.divide(step, t, out=step)
    return np.subtract(var, step, out=var)


@register("apply_adamax")
def apply_adamax(var, m, u, grad, lr, beta_1_power, beta_1, beta_2, epsilon):
    """m += (g-m)*(1-b1); u = max(b2*u, |g|); var -= lr*m / ((1-b1^t) * (u + eps))."""
    t, step = _scratch(var), _scratch(var, 1)
    _move_toward(m, grad, 1.0 - beta_1, t)
    np.multiply(u, beta_2, out=u)
    np.abs(grad, out=t)
    np.maximum(u, t, out=u)
    np.add(u, epsilon, out=t)
    np.multiply(t, 1 - beta_1_power, out=t)
    np.multiply(m, lr, out=step)
    np.divide(step, t, out=step)
    return np.subtract(var, step, out=var)


@register("apply_nadam")
def apply_nadam(var, m, v, grad, lr, u_t, u_t_1, u_product_t, beta_2_power, beta_1, beta_2, epsilon):
    """Keras 3 Nadam: m, v as Adam; m_hat = u_{t+1}*m/(1-u_prod*u_{t+1}) + (1-u_t)*g/(1-u_prod);
    v_hat = v/(1-b2^t); var -= m_hat*lr / (sqrt(v_hat) + eps). u_prod already includes u_t."""
    t, m_hat = _scratch(var), _scratch(var, 1)
    _move_toward(m, grad, 1.0 - beta_1, t)
    np.square(grad, out=m_hat)
    _move_toward(v, m_hat, 1.0 - beta_2, t)
    np.multiply(m, u_t_1, out=m_hat)
    np.divide(m_hat, 1 - u_product_t * u_t_1, out=m_hat)
    np.multiply(grad, 1 - u_t, out=t)
    np.divide(t, 1 - u_product_t, out=t)
    np.add(m_hat, t, out=m_hat)
    np.multiply(m_hat, lr, out=m_hat)
    np.divide(v, 1 - beta_2_power, out=t)
    np.sqrt(t, out=t)
    np.add(t, epsilon, out=t)
    np.divide(m_hat, t, out=m_hat)
    return np.subtract(var, m_hat, out=var)


@register("apply_weight_decay")
def apply_weight_decay(var, lr, weight_decay):
    """var -= var * weight_decay * lr, as one in-place scaling."""
    factor = np.asarray(1.0 - float(weight_decay) * float(lr), dtype=var.dtype)
    return np.multiply(var, factor, out=var)
