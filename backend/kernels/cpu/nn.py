"""NumPy kernels for the neural-network ops (softmax, cross-entropies, dropout, norms, embeddings).

Every kernel keeps its input's float dtype; exponentials are taken of max-shifted values only.
"""
import numpy as np

from .table import register


# ---- softmax ------------------------------------------------------------------------------
def _shifted(x, axis):
    return x - np.max(x, axis=axis, keepdims=True)


@register("softmax")
def softmax(x, axis):
    e = np.exp(_shifted(x, axis))
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


@register("log_softmax")
def log_softmax(x, axis):
    s = _shifted(x, axis)
    s -= np.log(np.sum(np.exp(s), axis=axis, keepdims=True))
    return s


@register("softmax_grad")
def softmax_grad(dy, y, axis):
    """y * (dy - sum(dy * y)): the softmax Jacobian applied to dy."""
    dx = dy * y
    dx -= y * np.sum(dx, axis=axis, keepdims=True)
    return dx


# ---- cross-entropies (classes on the last axis) ---------------------------------------------
def _softmax_parts(logits):
    """(shifted logits, log of the sum of their exponentials, softmax)."""
    s = _shifted(logits, -1)
    probs = np.exp(s)
    total = np.sum(probs, axis=-1, keepdims=True)
    probs /= total
    return s, np.log(total), probs


@register("softmax_cross_entropy")
def softmax_cross_entropy(labels, logits):
    s, log_total, probs = _softmax_parts(logits)
    loss = np.sum(labels * (log_total - s), axis=-1)
    return loss, probs


def _check_labels(labels, depth: int) -> None:
    if labels.size and (labels.min() < 0 or labels.max() >= depth):
        bad = labels[(labels < 0) | (labels >= depth)].flat[0]
        raise IndexError(f"sparse label {bad} is outside the valid range [0, {depth}) of the {depth} classes")


@register("sparse_softmax_cross_entropy")
def sparse_softmax_cross_entropy(labels, logits):
    _check_labels(labels, logits.shape[-1])
    s, log_total, probs = _softmax_parts(logits)
    picked = np.take_along_axis(s, labels[..., None].astype(np.intp), axis=-1)
    return (log_total - picked)[..., 0], probs


@register("softmax_cross_entropy_grad")
def softmax_cross_entropy_grad(dloss, probs, labels):
    return (probs - labels) * dloss[..., None]


@register("sparse_softmax_cross_entropy_grad")
def sparse_softmax_cross_entropy_grad(dloss, probs, labels):
    idx = labels[..., None].astype(np.intp)
    d = probs.copy()
    np.put_along_axis(d, idx, np.take_along_axis(d, idx, axis=-1) - 1, axis=-1)
    d *= dloss[..., None]
    return d


@register("sigmoid_cross_entropy")
def sigmoid_cross_entropy(labels, logits):
    """max(x, 0) - x * z + log(1 + exp(-|x|)), as tf.nn.sigmoid_cross_entropy_with_logits."""
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


# ---- dropout ------------------------------------------------------------------------------
@register("dropout")
def dropout(x, rate, noise_shape, rng):
    keep = 1.0 - rate
    shape = x.shape if noise_shape is None else tuple(d if n is None else n for n, d in zip(noise_shape, x.shape))
    mask = (rng.random(shape, dtype=np.float32) < keep).astype(x.dtype)
    mask *= np.asarray(1.0 / keep, x.dtype)
    return x * mask, mask


# ---- batch and layer normalisation ----------------------------------------------------------
def _axes(axis, ndim):
    """Normalised axes (a tuple) from an int or a tuple attribute."""
    return tuple(sorted(a % ndim for a in ((axis,) if isinstance(axis, int) else axis)))


def _others(axes, ndim):
    return tuple(a for a in range(ndim) if a not in axes)


def _broadcastable(param, axes, ndim):
    """A parameter indexed by `axes` reshaped to broadcast against the input."""
    shape = [1] * ndim
    for a, d in zip(axes, param.shape):
        shape[a] = d
    return param.reshape(shape)


def _inv_std(var, epsilon):
    return 1.0 / np.sqrt(var + np.asarray(epsilon, var.dtype))


def _normalize(x, gamma, beta, mean, inv, params_axes):
    """gamma * (x - mean) * inv + beta; mean/inv already broadcastable."""
    g = _broadcastable(gamma, params_axes, x.ndim)
    b = _broadcastable(beta, params_axes, x.ndim)
    y = x - mean
    y *= inv * g
    y += b
    return y


def _normalize_backward(dy, x, gamma, mean, inv, stats_axes, params_axes):
    """dx, dgamma, dbeta of y = gamma * (x - mean) / std + beta with mean/std over `stats_axes`."""
    xhat = (x - mean) * inv
    others = _others(params_axes, x.ndim)
    dbeta = np.sum(dy, axis=others)
    dgamma = np.sum(dy * xhat, axis=others)
    g = dy * _broadcastable(gamma, params_axes, x.ndim)
    dx = g - np.mean(g, axis=stats_axes, keepdims=True)
    dx -= xhat * np.mean(g * xhat, axis=stats_axes, keepdims=True)
    dx *= inv
    return dx, dgamma.reshape(gamma.shape), dbeta.reshape(gamma.shape)


def _moments(x, axes):
    """Mean and biased variance over `axes` (two passes, so no cancellation), keepdims."""
    mean = np.mean(x, axis=axes, keepdims=True)
    centered = x - mean
    return mean, np.mean(np.square(centered, out=centered), axis=axes, keepdims=True)


@register("batch_norm_train")
def batch_norm_train(x, gamma, beta, axis, epsilon):
    channel = _axes(axis, x.ndim)
    mean, var = _moments(x, _others(channel, x.ndim))
    y = _normalize(x, gamma, beta, mean, _inv_std(var, epsilon), channel)
    return y, mean.reshape(gamma.shape), var.reshape(gamma.shape)


@register("batch_norm_train_grad")
def batch_norm_train_grad(dy, x, gamma, mean, var, *dstats, axis, epsilon):
    """dx, dgamma, dbeta; optional (dmean, dvar) add the gradients reaching the statistics."""
    channel = _axes(axis, x.ndim)
    stats_axes = _others(channel, x.ndim)
    mean_b = _broadcastable(mean, channel, x.ndim)
    inv = _inv_std(_broadcastable(var, channel, x.ndim), epsilon)
    dx, dgamma, dbeta = _normalize_backward(dy, x, gamma, mean_b, inv, stats_axes, channel)
    if dstats:
        dmean, dvar = (_broadcastable(d, channel, x.ndim) for d in dstats)
        n = np.asarray(x.size // mean.size, x.dtype)
        dx += (dmean + 2 * dvar * (x - mean_b)) / n
    return dx, dgamma, dbeta


@register("batch_norm_infer")
def batch_norm_infer(x, mean, var, gamma, beta, axis, epsilon):
    channel = _axes(axis, x.ndim)
    inv = _inv_std(_broadcastable(var, channel, x.ndim), epsilon)
    return _normalize(x, gamma, beta, _broadcastable(mean, channel, x.ndim), inv, channel)


@register("batch_norm_infer_grad")
def batch_norm_infer_grad(dy, x, mean, var, gamma, axis, epsilon):
    """dx, dmean, dvar, dgamma, dbeta with fixed (moving) statistics."""
    channel = _axes(axis, x.ndim)
    stats_axes = _others(channel, x.ndim)
    inv = _inv_std(var, epsilon)
    scale = gamma * inv
    dbeta = np.sum(dy, axis=stats_axes)
    dxhat_sum = np.sum(dy * (x - _broadcastable(mean, channel, x.ndim)), axis=stats_axes) * inv
    dx = dy * _broadcastable(scale, channel, x.ndim)
    return dx, -scale * dbeta, -0.5 * scale * inv * dxhat_sum, dxhat_sum, dbeta


@register("layer_norm")
def layer_norm(x, gamma, beta, axis, epsilon):
    axes = _axes(axis, x.ndim)
    mean, var = _moments(x, axes)
    return _normalize(x, gamma, beta, mean, _inv_std(var, epsilon), axes)


@register("layer_norm_grad")
def layer_norm_grad(dy, x, gamma, axis, epsilon):
    axes = _axes(axis, x.ndim)
    mean, var = _moments(x, axes)
    return _normalize_backward(dy, x, gamma, mean, _inv_std(var, epsilon), axes, axes)


# ---- embeddings and one-hot -----------------------------------------------------------------
@register("embedding_lookup")
def embedding_lookup(params, ids):
    vocab = params.shape[0]
    if ids.size and (ids.min() < 0 or ids.max() >= vocab):
        where = np.argwhere((ids < 0) | (ids >= vocab))[0]
        raise IndexError(f"embedding id {ids[tuple(where)]} at position {tuple(int(i) for i in where)} is outside "
                         f"[0, {vocab}): ids must be in [0, input_dim={vocab}); got ids in [{ids.min()}, {ids.max()}]")
    return np.take(params, ids, axis=0)


@register("embedding_grad")
def embedding_grad(ids, dy, params_like):
    """Dense (V, D) scatter-add of the dy rows into their ids.

    The first row of each id is assigned directly; the repeats are summed (in float64) with one
    np.bincount over (compact id, column) pairs and added on. For 64x50 ids, V=20000, D=128 this
    is 2-4x faster than np.add.at, also when a padding id fills half the batch.
    """
    vocab, depth = params_like.shape
    flat, rows = ids.reshape(-1), dy.reshape(-1, depth)
    order = np.argsort(flat, kind="stable")
    ids_sorted = flat[order]
    first = np.ones(flat.size, bool)
    first[1:] = ids_sorted[1:] != ids_sorted[:-1]
    grad = np.zeros((vocab, depth), dy.dtype)
    grad[ids_sorted[first]] = rows[order[first]]
    repeats = order[~first]
    if repeats.size:
        unique, compact = np.unique(flat[repeats], return_inverse=True)
        slots = (compact.reshape(-1, 1) * depth + np.arange(depth)).ravel()
        sums = np.bincount(slots, weights=rows[repeats].ravel(), minlength=unique.size * depth)
        grad[unique] += sums.reshape(unique.size, depth).astype(dy.dtype, copy=False)
    return grad


@register("one_hot")
def one_hot(indices, depth, dtype):
    return (indices[..., None] == np.arange(depth)).astype(dtype)


# ---- l2 normalisation -----------------------------------------------------------------------
def _l2_inv_norm(x, axis, epsilon):
    """1 / sqrt(max(sum(x**2), epsilon)) and whether the sum beat epsilon (keepdims)."""
    square_sum = np.sum(np.square(x), axis=axis, keepdims=True)
    floor = np.asarray(epsilon, x.dtype)
    return 1.0 / np.sqrt(np.maximum(square_sum, floor)), square_sum > floor


@register("l2_normalize")
def l2_normalize(x, axis, epsilon):
    return x * _l2_inv_norm(x, axis, epsilon)[0]


@register("l2_normalize_grad")
def l2_normalize_grad(dy, x, axis, epsilon):
    """inv * (dy - y * sum(dy * y)) where the norm is above the floor, inv * dy below it."""
    inv, above = _l2_inv_norm(x, axis, epsilon)
    y = x * inv
    dx = dy - y * (np.sum(dy * y, axis=axis, keepdims=True) * above)
    dx *= inv
    return dx


# ---- moving statistics ----------------------------------------------------------------------
@register("moving_average_update")
def moving_average_update(variable, value, momentum):
    """variable = variable * momentum + value * (1 - momentum), written in place."""
    np.multiply(variable, momentum, out=variable, casting="same_kind")
    np.add(variable, value * (1.0 - momentum), out=variable, casting="same_kind")
    return variable
