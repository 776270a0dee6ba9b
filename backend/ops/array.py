"""Sources (constants, placeholders, variables) and shape-moving ops, with their gradients."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from .. import dtypes
from ..graph import TensorSpec, get_default_graph
from ..registry import REQUIRED, ShapeError, define_op
from ._shapes import dims_match, norm_axes, same
from .math import add_n, unbroadcast

# ---- sources: run by the executor itself, never differentiated through --------------------
constant_op = define_op("constant", lambda value: TensorSpec(value.shape, value.dtype), attrs={"value": REQUIRED}, differentiable=False)
placeholder_op = define_op("placeholder", lambda shape, dtype: TensorSpec(shape, dtype), attrs={"shape": REQUIRED, "dtype": REQUIRED}, differentiable=False)
variable_op = define_op("variable", lambda var: TensorSpec(var.shape, var.dtype), attrs={"var": REQUIRED}, differentiable=False)
no_op = define_op("no_op", lambda *inputs: [], stateful=True, differentiable=False)


def placeholder(dtype=dtypes.float32, shape=None, name: Optional[str] = None):
    """A graph input fed at run time; `None` dimensions accept any size.

    Without a shape (TF1's `keep_prob = placeholder(float32)`) it accepts a feed of any
    shape; graph-building inference treats it as a scalar, and each plan uses the real
    shape of what is fed.
    """
    static = None if shape is None else tuple(None if d is None or d == -1 else int(d) for d in shape)
    spec = TensorSpec(() if static is None else static, dtypes.as_dtype(dtype))
    node = get_default_graph().add_node("placeholder", [], {"shape": static, "dtype": spec.dtype}, [spec], name=name or "Placeholder")
    return node.outputs[0]


def group(*ops, name: Optional[str] = None):
    """One node that runs all `ops` (updates) when fetched."""
    flat = [t for op in ops for t in (op if isinstance(op, (list, tuple)) else [op])]
    graph = get_default_graph()
    node = graph.add_node("no_op", [], {}, [], name=name or "group")
    node.control_inputs = [t.node if hasattr(t, "node") else t for t in flat]
    return node


identity = define_op("identity", same)
identity.gradient(lambda node, dy: dy)
stop_gradient = define_op("stop_gradient", same, differentiable=False)


# ---- reshaping ----------------------------------------------------------------------------
def _reshape_infer(x, shape):
    target = list(shape)
    if target.count(-1) > 1:
        raise ShapeError(f"reshape target {tuple(shape)} has more than one -1")
    known_in = None if None in x.shape else int(np.prod(x.shape, dtype=np.int64))
    known_out = int(np.prod([d for d in target if d not in (-1, None)], dtype=np.int64))
    if -1 in target:
        i = target.index(-1)
        if known_in is not None:
            if known_out == 0 or known_in % known_out:
                raise ShapeError(f"cannot reshape {x.shape} ({known_in} elements) into {tuple(shape)}")
            target[i] = known_in // known_out
        else:
            target[i] = None
    elif known_in is not None and None not in target and known_in != known_out:
        raise ShapeError(f"cannot reshape {x.shape} ({known_in} elements) into {tuple(shape)}")
    return TensorSpec(tuple(target), x.dtype)


reshape_op = define_op("reshape", _reshape_infer, attrs={"shape": REQUIRED})
reshape_op.gradient(lambda node, dy: reshape_like(dy, node.inputs[0]))
reshape_like = define_op("reshape_like", lambda x, like: TensorSpec(like.shape, x.dtype))
reshape_like.gradient(lambda node, dy: (reshape_like(dy, node.inputs[0]), None))


def reshape(x, shape, name: Optional[str] = None):
    return reshape_op(x, shape=tuple(-1 if d is None else int(d) for d in shape), name=name)


def _transpose_infer(x, perm):
    perm = tuple(reversed(range(len(x.shape)))) if perm is None else perm
    if sorted(perm) != list(range(len(x.shape))):
        raise ShapeError(f"perm {perm} is not a permutation of the {len(x.shape)} axes")
    return TensorSpec(tuple(x.shape[p] for p in perm), x.dtype)


transpose_op = define_op("transpose", _transpose_infer, attrs={"perm": None})


@transpose_op.gradient
def _(node, dy):
    perm = node.attrs["perm"] or tuple(reversed(range(len(dy.shape))))
    return transpose_op(dy, perm=tuple(int(i) for i in np.argsort(perm)))


def transpose(x, perm: Optional[Sequence[int]] = None, name: Optional[str] = None):
    return transpose_op(x, perm=None if perm is None else tuple(int(p) for p in perm), name=name)


def _expand_infer(x, axis):
    rank = len(x.shape) + 1
    if not -rank <= axis < rank:
        raise ShapeError(f"axis {axis} is out of range for expand_dims of rank {rank - 1}")
    shape = list(x.shape)
    shape.insert(axis % rank, 1)
    return TensorSpec(tuple(shape), x.dtype)


expand_dims = define_op("expand_dims", _expand_infer, attrs={"axis": REQUIRED})
expand_dims.gradient(lambda node, dy: reshape_like(dy, node.inputs[0]))


def _squeeze_infer(x, axis):
    axes = [i for i, d in enumerate(x.shape) if d == 1] if axis is None else norm_axes(axis, len(x.shape))
    for a in axes:
        if x.shape[a] not in (1, None):
            raise ShapeError(f"cannot squeeze axis {a} of size {x.shape[a]}")
    return TensorSpec(tuple(d for i, d in enumerate(x.shape) if i not in axes), x.dtype)


squeeze = define_op("squeeze", _squeeze_infer, attrs={"axis": None})
squeeze.gradient(lambda node, dy: reshape_like(dy, node.inputs[0]))


# ---- joining and cutting ------------------------------------------------------------------
def _concat_infer(*xs, axis):
    rank = len(xs[0].shape)
    a = norm_axes(axis, rank)[0]
    for x in xs[1:]:
        if len(x.shape) != rank or not all(dims_match(p, q) for i, (p, q) in enumerate(zip(x.shape, xs[0].shape)) if i != a):
            raise ShapeError(f"concat on axis {axis} needs equal shapes off that axis, got {[tuple(t.shape) for t in xs]}")
    sizes = [x.shape[a] for x in xs]
    shape = list(xs[0].shape)
    shape[a] = None if None in sizes else sum(sizes)
    return TensorSpec(tuple(shape), dtypes.result_dtype(*[x.dtype for x in xs]))


concat_op = define_op("concat", _concat_infer, attrs={"axis": REQUIRED})


@concat_op.gradient
def _(node, dy):
    return split_like(dy, *node.inputs, axis=node.attrs["axis"])


split_like_op = define_op(
    "split_like",
    lambda dy, *likes, axis: [TensorSpec(like.shape, dy.dtype) for like in likes],
    attrs={"axis": REQUIRED}, differentiable=False)


def split_like(dy, *likes, axis: int):
    """Cut `dy` along `axis` into pieces shaped like `likes` (gradient of concat)."""
    parts = split_like_op(dy, *likes, axis=axis)
    return [parts] if len(likes) == 1 else list(parts)


def concat(values: Sequence, axis: int = -1, name: Optional[str] = None):
    values = list(values)
    return values[0] if len(values) == 1 else concat_op(*values, axis=axis, name=name)


def stack(values: Sequence, axis: int = 0, name: Optional[str] = None):
    return concat([expand_dims(v, axis=axis) for v in values], axis=axis, name=name)


def _split_infer(x, num_or_sizes, axis):
    a = norm_axes(axis, len(x.shape))[0]
    size = x.shape[a]
    sizes = [size // num_or_sizes] * num_or_sizes if isinstance(num_or_sizes, int) else list(num_or_sizes)
    if size is not None and (sum(sizes) != size or (isinstance(num_or_sizes, int) and size % num_or_sizes)):
        raise ShapeError(f"cannot split axis {axis} of size {size} into {num_or_sizes}")
    specs = []
    for s in sizes:
        shape = list(x.shape)
        shape[a] = s
        specs.append(TensorSpec(tuple(shape), x.dtype))
    return specs


split_op = define_op("split", _split_infer, attrs={"num_or_sizes": REQUIRED, "axis": 0})


@split_op.gradient
def _(node, *dys):
    from .math import zeros_like

    parts = [dy if dy is not None else zeros_like(out) for dy, out in zip(dys, node.outputs)]
    return concat_op(*parts, axis=node.attrs["axis"])


def split(x, num_or_size_splits, axis: int = 0, name: Optional[str] = None) -> list:
    sizes = num_or_size_splits if isinstance(num_or_size_splits, int) else tuple(int(s) for s in num_or_size_splits)
    out = split_op(x, num_or_sizes=sizes, axis=axis, name=name)
    return list(out) if isinstance(out, tuple) else [out]


def unstack(x, axis: int = 0) -> list:
    return [squeeze(p, axis=axis) for p in split(x, x.shape[axis], axis=axis)]


def _index_key(key) -> tuple:
    """A getitem key as hashable attrs: ('s', start, stop, step) | int | None | '...'."""
    key = key if isinstance(key, tuple) else (key,)
    out = []
    for k in key:
        if isinstance(k, slice):
            out.append(("s", k.start, k.stop, k.step))
        elif k is Ellipsis:
            out.append("...")
        elif k is None or isinstance(k, (int, np.integer)):
            out.append(None if k is None else int(k))
        else:
            raise TypeError(f"unsupported index {k!r}: use ints, slices, None and ...")
    return tuple(out)


def index_key_to_python(key: tuple) -> tuple:
    return tuple(slice(*k[1:]) if isinstance(k, tuple) else (Ellipsis if k == "..." else k) for k in key)


def _getitem_infer(x, key):
    probe = np.lib.stride_tricks.as_strided(np.zeros(1, np.int8), [1 if d is None else d for d in x.shape], [0] * len(x.shape))
    shape = list(probe[index_key_to_python(key)].shape)
    # map unknown dims through: only full slices of an unknown dim keep it unknown
    src = 0
    result = []
    for k in _expand_ellipsis(key, len(x.shape)):
        if k is None:
            result.append(1)
        elif isinstance(k, tuple):
            dim = x.shape[src]
            result.append(None if dim is None and k[1:] in ((None, None, None), (None, None, 1)) else shape[len(result)])
            src += 1
        else:
            src += 1
    return TensorSpec(tuple(result), x.dtype)


def _expand_ellipsis(key: tuple, rank: int) -> tuple:
    used = sum(1 for k in key if k is not None and k != "...")
    if "..." in key:
        i = key.index("...")
        return key[:i] + (("s", None, None, None),) * (rank - used) + key[i + 1:]
    return key + (("s", None, None, None),) * (rank - used)


getitem_op = define_op("getitem", _getitem_infer, attrs={"key": REQUIRED})
getitem_grad = define_op("getitem_grad", lambda dy, like, key: TensorSpec(like.shape, dy.dtype), attrs={"key": REQUIRED}, differentiable=False)
getitem_op.gradient(lambda node, dy: getitem_grad(dy, node.inputs[0], key=node.attrs["key"]))


def getitem(x, key):
    return getitem_op(x, key=_index_key(key))


def _gather_infer(params, indices, axis):
    if np.issubdtype(indices.dtype, np.floating):
        raise ShapeError(f"gather indices must be integers, got {indices.dtype.name}")
    a = norm_axes(axis, len(params.shape))[0]
    return TensorSpec(params.shape[:a] + indices.shape + params.shape[a + 1:], params.dtype)


gather = define_op("gather", _gather_infer, attrs={"axis": 0})
gather_grad = define_op("gather_grad", lambda dy, indices, like, axis: TensorSpec(like.shape, dy.dtype), attrs={"axis": 0}, differentiable=False)
gather.gradient(lambda node, dy: (gather_grad(dy, node.inputs[1], node.inputs[0], axis=node.attrs["axis"]), None))


def _pad_infer(x, paddings, constant):
    if len(paddings) != len(x.shape):
        raise ShapeError(f"paddings {paddings} do not match rank {len(x.shape)}")
    return TensorSpec(tuple(None if d is None else d + a + b for d, (a, b) in zip(x.shape, paddings)), x.dtype)


pad_op = define_op("pad", _pad_infer, attrs={"paddings": REQUIRED, "constant": 0.0})


@pad_op.gradient
def _(node, dy):
    key = tuple(("s", a, (-b if b else None), None) for a, b in node.attrs["paddings"])
    return getitem_op(dy, key=key)


def pad(x, paddings, constant_values: float = 0.0, name: Optional[str] = None):
    return pad_op(x, paddings=tuple((int(a), int(b)) for a, b in paddings), constant=float(constant_values), name=name)


tile_op = define_op("tile", lambda x, multiples: TensorSpec(tuple(None if d is None else d * m for d, m in zip(x.shape, multiples)), x.dtype), attrs={"multiples": REQUIRED})


@tile_op.gradient
def _(node, dy):
    from .math import reduce_sum

    x = node.inputs[0]
    folded = []
    for d, m in zip(x.shape, node.attrs["multiples"]):
        folded += [m, -1 if d is None else d]
    summed = reduce_sum(reshape(dy, folded), axis=tuple(range(0, 2 * len(x.shape), 2)))
    return reshape_like(summed, x)


def tile(x, multiples, name: Optional[str] = None):
    return tile_op(x, multiples=tuple(int(m) for m in multiples), name=name)


reverse = define_op("reverse", same, attrs={"axis": REQUIRED})
reverse.gradient(lambda node, dy: reverse(dy, axis=node.attrs["axis"]))


def accumulate(grads: list):
    """Sum of partial gradients (one node, or the single one)."""
    grads = [g for g in grads if g is not None]
    if not grads:
        return None
    return grads[0] if len(grads) == 1 else add_n(*grads)


__all__ = [name for name in dir() if not name.startswith("_")] + ["unbroadcast"]
