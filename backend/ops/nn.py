"""Neural-network ops: softmax, cross-entropies, dropout, normalisation, embeddings.

Semantics follow Keras 3 on TensorFlow. Ops whose gradient needs forward intermediates
either expose them as extra outputs (the cross-entropies return the softmax, batch norm
returns its batch statistics) or get one fused `*_grad` op that recomputes cheap
statistics, so a backward pass never re-runs an exponential over the logits.
"""
from __future__ import annotations

from typing import Optional

from .. import dtypes
from ..graph import TensorSpec
from ..registry import REQUIRED, ShapeError, define_op
from ._shapes import dims_match, norm_axes, same
from .array import accumulate, expand_dims
from .math import exp, multiply, negative, reduce_sum, sigmoid, subtract, zeros_like


# ---- shape helpers ----------------------------------------------------------------------
def _need_float(name: str, spec: TensorSpec) -> None:
    if not dtypes.is_float(spec.dtype):
        raise ShapeError(f"{name} must be floating-point, got {spec.dtype.name}")


def _need_int(name: str, spec: TensorSpec) -> None:
    if spec.dtype.kind not in "iu":
        raise ShapeError(f"{name} must be an integer tensor, got {spec.dtype.name}")


def _merge(shape_a, shape_b, what: str) -> tuple:
    """Two shapes that must be equal, with unknown dims filled from the other."""
    if len(shape_a) != len(shape_b) or not all(dims_match(a, b) for a, b in zip(shape_a, shape_b)):
        raise ShapeError(f"{what}: shapes {tuple(shape_a)} and {tuple(shape_b)} must be equal")
    return tuple(a if a is not None else b for a, b in zip(shape_a, shape_b))


def _same_dtype(a: TensorSpec, b: TensorSpec, what: str) -> None:
    if a.dtype != b.dtype:
        raise ShapeError(f"{what}: dtypes {a.dtype.name} and {b.dtype.name} differ; cast one first")


def _channel_axis(x: TensorSpec, axis: int) -> int:
    if not isinstance(axis, int):
        raise ShapeError(f"axis must be one int, got {axis!r}")
    return norm_axes(axis, len(x.shape))[0]


def _check_params(x_shape: tuple, expected: tuple, **params: TensorSpec) -> None:
    """Per-channel parameters (gamma, beta, mean, var) must all have shape `expected`."""
    for name, spec in params.items():
        if len(spec.shape) != len(expected) or not all(dims_match(a, b) for a, b in zip(spec.shape, expected)):
            raise ShapeError(f"{name} of shape {spec.shape} does not fit input {x_shape}: expected {expected}")


def _need_rank(x: TensorSpec) -> None:
    if not x.shape:
        raise ShapeError(f"input of shape {x.shape} needs at least one axis")


def _float_axis_infer(x: TensorSpec, axis, **_) -> TensorSpec:
    _need_float("x", x)
    _need_rank(x)
    norm_axes(axis, len(x.shape))
    return same(x)


def _like_dy(dy: TensorSpec, *_, **__) -> TensorSpec:
    return same(dy)


# ---- softmax ----------------------------------------------------------------------------
softmax = define_op("softmax", _float_axis_infer, attrs={"axis": -1})
log_softmax = define_op("log_softmax", _float_axis_infer, attrs={"axis": -1})
softmax_grad = define_op("softmax_grad", _like_dy, attrs={"axis": -1}, differentiable=False)
softmax.gradient(lambda node, dy: softmax_grad(dy, node.outputs[0], axis=node.attrs["axis"]))


@log_softmax.gradient
def _(node, dy):
    y, axis = node.outputs[0], node.attrs["axis"]
    return subtract(dy, multiply(exp(y), reduce_sum(dy, axis=axis, keepdims=True)))


# ---- cross-entropies --------------------------------------------------------------------
def _softmax_xent_infer(labels: TensorSpec, logits: TensorSpec) -> list:
    _need_float("logits", logits)
    _need_float("labels", labels)
    _same_dtype(labels, logits, "softmax_cross_entropy labels and logits")
    if not logits.shape:
        raise ShapeError("logits need a class axis (rank >= 1)")
    shape = _merge(labels.shape, logits.shape, "softmax_cross_entropy labels and logits")
    return [TensorSpec(shape[:-1], logits.dtype), TensorSpec(shape, logits.dtype)]


def _sparse_xent_infer(labels: TensorSpec, logits: TensorSpec) -> list:
    _need_float("logits", logits)
    _need_int("sparse labels", labels)
    if not logits.shape:
        raise ShapeError("logits need a class axis (rank >= 1)")
    batch = _merge(labels.shape, logits.shape[:-1], "sparse labels must have the logits' shape without the class axis;")
    return [TensorSpec(batch, logits.dtype), TensorSpec(batch + tuple(logits.shape[-1:]), logits.dtype)]


def _xent_grad_infer(dloss: TensorSpec, probs: TensorSpec, labels: TensorSpec) -> TensorSpec:
    return same(probs)


# (labels, logits) -> (per-example loss, softmax workspace); classes on the last axis.
softmax_cross_entropy = define_op("softmax_cross_entropy", _softmax_xent_infer)
softmax_cross_entropy_grad = define_op("softmax_cross_entropy_grad", _xent_grad_infer, differentiable=False)
sparse_softmax_cross_entropy = define_op("sparse_softmax_cross_entropy", _sparse_xent_infer)
sparse_softmax_cross_entropy_grad = define_op("sparse_softmax_cross_entropy_grad", _xent_grad_infer, differentiable=False)


def _logits_grad(dlogits, probs, dprobs):
    """`dlogits` plus the gradient that reaches the softmax workspace output, if it was used."""
    return accumulate([dlogits, None if dprobs is None else softmax_grad(dprobs, probs, axis=-1)])


@softmax_cross_entropy.gradient
def _(node, dloss, dprobs):
    """d/dlogits = (softmax - labels) * dloss (exact when labels sum to 1, as TensorFlow);
    d/dlabels = -log_softmax(logits) * dloss."""
    labels, logits = node.inputs
    probs = node.outputs[1]
    if dloss is None:
        return None, _logits_grad(None, probs, dprobs)
    dlabels = multiply(negative(log_softmax(logits)), expand_dims(dloss, axis=-1))
    return dlabels, _logits_grad(softmax_cross_entropy_grad(dloss, probs, labels), probs, dprobs)


@sparse_softmax_cross_entropy.gradient
def _(node, dloss, dprobs):
    labels, probs = node.inputs[0], node.outputs[1]
    dlogits = None if dloss is None else sparse_softmax_cross_entropy_grad(dloss, probs, labels)
    return None, _logits_grad(dlogits, probs, dprobs)


def _sigmoid_xent_infer(labels: TensorSpec, logits: TensorSpec) -> TensorSpec:
    _need_float("logits", logits)
    _need_float("labels", labels)
    _same_dtype(labels, logits, "sigmoid_cross_entropy labels and logits")
    return TensorSpec(_merge(labels.shape, logits.shape, "sigmoid_cross_entropy labels and logits"), logits.dtype)


sigmoid_cross_entropy = define_op("sigmoid_cross_entropy", _sigmoid_xent_infer, elementwise=True)


@sigmoid_cross_entropy.gradient
def _(node, dy):
    labels, logits = node.inputs
    return multiply(dy, negative(logits)), multiply(dy, subtract(sigmoid(logits), labels))


# ---- dropout ----------------------------------------------------------------------------
def _dropout_infer(x: TensorSpec, rate: float, noise_shape: Optional[tuple]) -> list:
    _need_float("dropout input", x)
    if not 0.0 <= rate < 1.0:
        raise ShapeError(f"dropout rate must be in [0, 1), got {rate}")
    return [same(x), TensorSpec(_noise_shape(x.shape, noise_shape), x.dtype)]


def _noise_shape(shape: tuple, noise_shape: Optional[tuple]) -> tuple:
    """The mask's shape: `noise_shape` with None filled from the input (Keras), or the input's."""
    if noise_shape is None:
        return tuple(shape)
    if len(noise_shape) != len(shape):
        raise ShapeError(f"noise_shape {noise_shape} must have the input's rank {len(shape)}")
    out = tuple(d if n is None else n for n, d in zip(noise_shape, shape))
    if not all(n in (1, d) or d is None for n, d in zip(out, shape)):
        raise ShapeError(f"noise_shape {noise_shape} must broadcast to the input shape {shape}")
    return out


# x -> (x * mask, mask); mask holds 0 or 1/(1-rate) (inverted dropout, as Keras).
dropout = define_op("dropout", _dropout_infer, attrs={"rate": REQUIRED, "noise_shape": None}, random=True)


@dropout.gradient
def _(node, dy, dmask):
    return None if dy is None else multiply(dy, node.outputs[1])


# ---- batch and layer normalisation ------------------------------------------------------
def _bn_train_infer(x: TensorSpec, gamma: TensorSpec, beta: TensorSpec, axis: int, epsilon: float) -> list:
    _need_float("batch_norm input", x)
    c = (x.shape[_channel_axis(x, axis)],)
    _check_params(x.shape, c, gamma=gamma, beta=beta)
    stats = TensorSpec(_merge(gamma.shape, c, "gamma and the channel axis"), x.dtype)
    return [same(x), stats, stats]


def _bn_train_grad_infer(dy, x, gamma, mean, var, *dstats, axis, epsilon) -> list:
    return [same(dy), TensorSpec(gamma.shape, dy.dtype), TensorSpec(gamma.shape, dy.dtype)]


def _bn_infer_infer(x, mean, var, gamma, beta, axis: int, epsilon: float) -> TensorSpec:
    _need_float("batch_norm input", x)
    c = (x.shape[_channel_axis(x, axis)],)
    _check_params(x.shape, c, mean=mean, var=var, gamma=gamma, beta=beta)
    return same(x)


def _bn_infer_grad_infer(dy, x, mean, var, gamma, axis, epsilon) -> list:
    stat = TensorSpec(gamma.shape, dy.dtype)
    return [same(dy), stat, stat, stat, stat]


_NORM_ATTRS = {"axis": -1, "epsilon": 1e-3}
# (x, gamma, beta) -> (y, batch mean, biased batch variance); stats over all axes but `axis`.
batch_norm_train = define_op("batch_norm_train", _bn_train_infer, attrs=_NORM_ATTRS)
batch_norm_train_grad = define_op("batch_norm_train_grad", _bn_train_grad_infer, attrs=_NORM_ATTRS, differentiable=False)
batch_norm_infer = define_op("batch_norm_infer", _bn_infer_infer, attrs=_NORM_ATTRS)
batch_norm_infer_grad = define_op("batch_norm_infer_grad", _bn_infer_grad_infer, attrs=_NORM_ATTRS, differentiable=False)


@batch_norm_train.gradient
def _(node, dy, dmean, dvar):
    """Fused: dx, dgamma, dbeta. Gradients reaching the mean/var outputs are folded into dx."""
    x, gamma, _ = node.inputs
    y, mean, var = node.outputs
    dy = zeros_like(y) if dy is None else dy
    extra = [] if dmean is None and dvar is None else [
        zeros_like(mean) if dmean is None else dmean, zeros_like(var) if dvar is None else dvar]
    return batch_norm_train_grad(dy, x, gamma, mean, var, *extra, **node.attrs)


@batch_norm_infer.gradient
def _(node, dy):
    """Fused: dx, dmean, dvar, dgamma, dbeta (the moving statistics get exact gradients too)."""
    x, mean, var, gamma, _ = node.inputs
    return batch_norm_infer_grad(dy, x, mean, var, gamma, **node.attrs)


def _layer_norm_infer(x: TensorSpec, gamma: TensorSpec, beta: TensorSpec, axis, epsilon: float) -> TensorSpec:
    _need_float("layer_norm input", x)
    _need_rank(x)
    expected = tuple(x.shape[a] for a in norm_axes(axis, len(x.shape)))
    _check_params(x.shape, expected, gamma=gamma, beta=beta)
    return same(x)


def _layer_norm_grad_infer(dy, x, gamma, axis, epsilon) -> list:
    return [same(dy), TensorSpec(gamma.shape, dy.dtype), TensorSpec(gamma.shape, dy.dtype)]


# (x, gamma, beta) -> y normalised over `axis` (int or tuple), per example.
layer_norm = define_op("layer_norm", _layer_norm_infer, attrs=_NORM_ATTRS)
layer_norm_grad = define_op("layer_norm_grad", _layer_norm_grad_infer, attrs=_NORM_ATTRS, differentiable=False)


@layer_norm.gradient
def _(node, dy):
    x, gamma, _ = node.inputs
    return layer_norm_grad(dy, x, gamma, **node.attrs)


# ---- embeddings and one-hot -------------------------------------------------------------
def _embedding_infer(params: TensorSpec, ids: TensorSpec) -> TensorSpec:
    if len(params.shape) != 2:
        raise ShapeError(f"embedding params must be (input_dim, output_dim), got shape {params.shape}")
    _need_int("embedding ids", ids)
    return TensorSpec(tuple(ids.shape) + (params.shape[1],), params.dtype)


def _embedding_grad_infer(ids: TensorSpec, dy: TensorSpec, params_like: TensorSpec) -> TensorSpec:
    _merge(dy.shape, tuple(ids.shape) + (params_like.shape[1],), "embedding_grad dy and ids + (output_dim,)")
    return TensorSpec(params_like.shape, dy.dtype)


# (params (V, D), int ids) -> ids.shape + (D,); ids outside [0, V) raise IndexError.
embedding_lookup = define_op("embedding_lookup", _embedding_infer)
embedding_grad = define_op("embedding_grad", _embedding_grad_infer, differentiable=False)
embedding_lookup.gradient(lambda node, dy: (embedding_grad(node.inputs[1], dy, node.inputs[0]), None))


def _one_hot_infer(indices: TensorSpec, depth: int, dtype: str) -> TensorSpec:
    _need_int("one_hot indices", indices)
    if not isinstance(depth, int) or depth < 1:
        raise ShapeError(f"one_hot depth must be a positive int, got {depth!r}")
    return TensorSpec(tuple(indices.shape) + (depth,), dtypes.as_dtype(dtype))


_one_hot = define_op("one_hot", _one_hot_infer, attrs={"depth": REQUIRED, "dtype": "float32"}, differentiable=False)


def one_hot(indices, depth: int, dtype=None, name: Optional[str] = None):
    """indices -> indices.shape + (depth,); out-of-range indices give all-zero rows (as TF)."""
    return _one_hot(indices, depth=int(depth), dtype=dtypes.as_dtype(dtype).name, name=name)


# ---- l2 normalisation -------------------------------------------------------------------
# x / sqrt(max(sum(x**2, axis), epsilon)), as tf.math.l2_normalize.
l2_normalize = define_op("l2_normalize", _float_axis_infer, attrs={"axis": -1, "epsilon": 1e-12})
l2_normalize_grad = define_op("l2_normalize_grad", _like_dy, attrs={"axis": -1, "epsilon": 1e-12}, differentiable=False)
l2_normalize.gradient(lambda node, dy: l2_normalize_grad(dy, node.inputs[0], **node.attrs))


# ---- moving statistics ------------------------------------------------------------------
def _moving_average_infer(variable: TensorSpec, value: TensorSpec, momentum: float) -> TensorSpec:
    _need_float("moving average variable", variable)
    _merge(variable.shape, value.shape, "moving_average_update variable and value")
    return same(variable)


# In place: variable = variable * momentum + value * (1 - momentum); returns it.
moving_average_update = define_op("moving_average_update", _moving_average_infer, attrs={"momentum": REQUIRED},
                                  stateful=True, differentiable=False)
