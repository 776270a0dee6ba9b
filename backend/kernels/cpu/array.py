"""NumPy kernels for sources and shape-moving ops (most return views)."""
import numpy as np

from ...ops.array import index_key_to_python
from .table import register


@register("constant")
def constant(value):
    return value


@register("variable")
def variable(var):
    return var.value


@register("no_op")
def no_op(*_):
    return ()


@register("identity", "stop_gradient")
def identity(x):
    return x


@register("reshape")
def reshape(x, shape):
    return x.reshape(shape)


@register("reshape_like")
def reshape_like(x, like):
    return x.reshape(like.shape)


@register("transpose")
def transpose(x, perm):
    return np.transpose(x, perm)


@register("expand_dims")
def expand_dims(x, axis):
    return np.expand_dims(x, axis)


@register("squeeze")
def squeeze(x, axis):
    return np.squeeze(x, axis=axis)


@register("concat")
def concat(*xs, axis):
    return np.concatenate(xs, axis=axis)


@register("split_like")
def split_like(dy, *likes, axis):
    bounds = np.cumsum([like.shape[axis] for like in likes])[:-1]
    return tuple(np.split(dy, bounds, axis=axis))


@register("split")
def split(x, num_or_sizes, axis):
    points = num_or_sizes if isinstance(num_or_sizes, int) else np.cumsum(num_or_sizes)[:-1]
    return tuple(np.split(x, points, axis=axis))


@register("getitem")
def getitem(x, key):
    return x[index_key_to_python(key)]


@register("getitem_grad")
def getitem_grad(dy, like, key):
    dx = np.zeros(like.shape, dy.dtype)
    dx[index_key_to_python(key)] = dy
    return dx


@register("gather")
def gather(params, indices, axis):
    size = params.shape[axis]
    if indices.size and (indices.min() < -size or indices.max() >= size):
        raise IndexError(f"gather: indices must lie in [0, {size}) along axis {axis}; got values in [{indices.min()}, {indices.max()}]")
    return np.take(params, indices, axis=axis)


@register("gather_grad")
def gather_grad(dy, indices, like, axis):
    dx = np.zeros(like.shape, dy.dtype)
    moved = np.moveaxis(dx, axis, 0)
    np.add.at(moved, indices, np.moveaxis(dy, list(range(axis, axis + indices.ndim)), list(range(indices.ndim))))
    return dx


@register("pad")
def pad(x, paddings, constant):
    return np.pad(x, paddings, constant_values=constant)


@register("tile")
def tile(x, multiples):
    return np.tile(x, multiples)


@register("reverse")
def reverse(x, axis):
    return np.flip(x, axis=axis)
