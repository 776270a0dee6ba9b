"""Elementwise math, comparisons, reductions and matrix products, with their gradients."""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..graph import TensorSpec
from ..registry import REQUIRED, ShapeError, define_op
from ._shapes import broadcast, dims_match, norm_axes, reduced, same


def _binary_infer(a, b):
    return TensorSpec(broadcast(a.shape, b.shape), dtypes.result_dtype(a.dtype, b.dtype))


def _compare_infer(a, b):
    return TensorSpec(broadcast(a.shape, b.shape), dtypes.bool_)


def _float_only(name):
    def infer(x, **_):
        if not dtypes.is_float(x.dtype):
            raise ShapeError(f"{name} needs a floating-point input, got {x.dtype.name}")
        return TensorSpec(x.shape, x.dtype)
    return infer


def unbroadcast(dy, like):
    """Sum `dy` down to the shape of `like` (the gradient of broadcasting)."""
    if tuple(dy.shape) == tuple(like.shape) and None not in like.shape[1:]:
        return dy
    return _unbroadcast(dy, like)


_unbroadcast = define_op("unbroadcast", lambda dy, like: TensorSpec(like.shape, dy.dtype), differentiable=False)

# ---- binary elementwise ---------------------------------------------------------------
add = define_op("add", _binary_infer, elementwise=True)
subtract = define_op("subtract", _binary_infer, elementwise=True)
multiply = define_op("multiply", _binary_infer, elementwise=True)
divide = define_op("divide", _binary_infer, elementwise=True)
power = define_op("power", _binary_infer, elementwise=True)
maximum = define_op("maximum", _binary_infer, elementwise=True)
minimum = define_op("minimum", _binary_infer, elementwise=True)
squared_difference = define_op("squared_difference", _binary_infer, elementwise=True)


@add.gradient
def _(node, dy):
    a, b = node.inputs
    return unbroadcast(dy, a), unbroadcast(dy, b)


@subtract.gradient
def _(node, dy):
    a, b = node.inputs
    return unbroadcast(dy, a), unbroadcast(negative(dy), b)


@multiply.gradient
def _(node, dy):
    a, b = node.inputs
    return unbroadcast(multiply(dy, b), a), unbroadcast(multiply(dy, a), b)


@divide.gradient
def _(node, dy):
    a, b = node.inputs
    y = node.outputs[0]
    return unbroadcast(divide(dy, b), a), unbroadcast(negative(divide(multiply(dy, y), b)), b)


@power.gradient
def _(node, dy):
    a, b = node.inputs
    y = node.outputs[0]
    da = multiply(dy, multiply(b, power(a, subtract(b, 1.0))))
    db = multiply(dy, multiply(y, log(maximum(a, 1e-30))))
    return unbroadcast(da, a), unbroadcast(db, b)


def _select_grad(pick_a):
    def grad(node, dy):
        a, b = node.inputs
        mask = cast(pick_a(a, b), dy.dtype)
        return unbroadcast(multiply(dy, mask), a), unbroadcast(multiply(dy, subtract(1.0, mask)), b)
    return grad


maximum.gradient(_select_grad(lambda a, b: greater_equal(a, b)))
minimum.gradient(_select_grad(lambda a, b: less_equal(a, b)))


@squared_difference.gradient
def _(node, dy):
    a, b = node.inputs
    d = multiply(multiply(dy, 2.0), subtract(a, b))
    return unbroadcast(d, a), unbroadcast(negative(d), b)


# ---- comparisons and logic (no gradient) ----------------------------------------------
equal = define_op("equal", _compare_infer, elementwise=True, differentiable=False)
not_equal = define_op("not_equal", _compare_infer, elementwise=True, differentiable=False)
less = define_op("less", _compare_infer, elementwise=True, differentiable=False)
less_equal = define_op("less_equal", _compare_infer, elementwise=True, differentiable=False)
greater = define_op("greater", _compare_infer, elementwise=True, differentiable=False)
greater_equal = define_op("greater_equal", _compare_infer, elementwise=True, differentiable=False)
logical_and = define_op("logical_and", _compare_infer, elementwise=True, differentiable=False)
logical_or = define_op("logical_or", _compare_infer, elementwise=True, differentiable=False)
logical_not = define_op("logical_not", lambda x: TensorSpec(x.shape, dtypes.bool_), elementwise=True, differentiable=False)
sign = define_op("sign", same, elementwise=True, differentiable=False)
floor = define_op("floor", same, elementwise=True, differentiable=False)
round_ = define_op("round", same, elementwise=True, differentiable=False)

# ---- unary elementwise ----------------------------------------------------------------
negative = define_op("negative", same, elementwise=True)
absolute = define_op("abs", same, elementwise=True)
exp = define_op("exp", _float_only("exp"), elementwise=True)
log = define_op("log", _float_only("log"), elementwise=True)
log1p = define_op("log1p", _float_only("log1p"), elementwise=True)
sqrt = define_op("sqrt", _float_only("sqrt"), elementwise=True)
rsqrt = define_op("rsqrt", _float_only("rsqrt"), elementwise=True)
square = define_op("square", same, elementwise=True)
reciprocal = define_op("reciprocal", _float_only("reciprocal"), elementwise=True)
sin = define_op("sin", _float_only("sin"), elementwise=True)
cos = define_op("cos", _float_only("cos"), elementwise=True)
erf = define_op("erf", _float_only("erf"), elementwise=True)
tanh = define_op("tanh", _float_only("tanh"), elementwise=True)
sigmoid = define_op("sigmoid", _float_only("sigmoid"), elementwise=True)
relu = define_op("relu", same, elementwise=True)
relu6 = define_op("relu6", same, elementwise=True)
elu = define_op("elu", _float_only("elu"), elementwise=True, attrs={"alpha": 1.0})
selu = define_op("selu", _float_only("selu"), elementwise=True)
softplus = define_op("softplus", _float_only("softplus"), elementwise=True)
softsign = define_op("softsign", _float_only("softsign"), elementwise=True)
leaky_relu = define_op("leaky_relu", same, elementwise=True, attrs={"alpha": 0.2})
gelu = define_op("gelu", _float_only("gelu"), elementwise=True, attrs={"approximate": False})
clip = define_op("clip", same, elementwise=True, attrs={"min": REQUIRED, "max": REQUIRED})
relu_grad = define_op("relu_grad", lambda dy, y: same(dy), elementwise=True, differentiable=False)
sigmoid_grad = define_op("sigmoid_grad", lambda dy, y: same(dy), elementwise=True, differentiable=False)
tanh_grad = define_op("tanh_grad", lambda dy, y: same(dy), elementwise=True, differentiable=False)

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805

negative.gradient(lambda node, dy: negative(dy))
absolute.gradient(lambda node, dy: multiply(dy, sign(node.inputs[0])))
exp.gradient(lambda node, dy: multiply(dy, node.outputs[0]))
log.gradient(lambda node, dy: divide(dy, node.inputs[0]))
log1p.gradient(lambda node, dy: divide(dy, add(node.inputs[0], 1.0)))
sqrt.gradient(lambda node, dy: divide(multiply(dy, 0.5), node.outputs[0]))
rsqrt.gradient(lambda node, dy: multiply(multiply(dy, -0.5), power(node.outputs[0], 3.0)))
square.gradient(lambda node, dy: multiply(dy, multiply(node.inputs[0], 2.0)))
reciprocal.gradient(lambda node, dy: negative(multiply(dy, square(node.outputs[0]))))
sin.gradient(lambda node, dy: multiply(dy, cos(node.inputs[0])))
cos.gradient(lambda node, dy: negative(multiply(dy, sin(node.inputs[0]))))
erf.gradient(lambda node, dy: multiply(dy, multiply(exp(negative(square(node.inputs[0]))), 2.0 / np.sqrt(np.pi))))
tanh.gradient(lambda node, dy: tanh_grad(dy, node.outputs[0]))
sigmoid.gradient(lambda node, dy: sigmoid_grad(dy, node.outputs[0]))
relu.gradient(lambda node, dy: relu_grad(dy, node.outputs[0]))
relu6.gradient(lambda node, dy: multiply(dy, cast(logical_and(greater(node.inputs[0], 0.0), less(node.inputs[0], 6.0)), dy.dtype)))
softplus.gradient(lambda node, dy: multiply(dy, sigmoid(node.inputs[0])))
softsign.gradient(lambda node, dy: divide(dy, square(add(absolute(node.inputs[0]), 1.0))))
leaky_relu.gradient(lambda node, dy: multiply(dy, where(greater(node.inputs[0], 0.0), 1.0, node.attrs["alpha"])))


@elu.gradient
def _(node, dy):
    x, y, alpha = node.inputs[0], node.outputs[0], node.attrs["alpha"]
    return multiply(dy, where(greater(x, 0.0), 1.0, add(y, alpha)))


@selu.gradient
def _(node, dy):
    x, y = node.inputs[0], node.outputs[0]
    return multiply(dy, where(greater(x, 0.0), SELU_SCALE, add(y, SELU_SCALE * SELU_ALPHA)))


@gelu.gradient
def _(node, dy):
    x = node.inputs[0]
    if node.attrs["approximate"]:
        c = np.sqrt(2.0 / np.pi)
        inner = multiply(add(x, multiply(power(x, 3.0), 0.044715)), c)
        t = tanh(inner)
        dinner = multiply(add(multiply(square(x), 3 * 0.044715), 1.0), c)
        d = add(multiply(add(t, 1.0), 0.5), multiply(multiply(multiply(x, 0.5), subtract(1.0, square(t))), dinner))
    else:
        cdf = multiply(add(erf(multiply(x, 1.0 / np.sqrt(2.0))), 1.0), 0.5)
        pdf = multiply(exp(multiply(square(x), -0.5)), 1.0 / np.sqrt(2.0 * np.pi))
        d = add(cdf, multiply(x, pdf))
    return multiply(dy, d)


@clip.gradient
def _(node, dy):
    x = node.inputs[0]
    inside = logical_and(greater_equal(x, node.attrs["min"]), less_equal(x, node.attrs["max"]))
    return multiply(dy, cast(inside, dy.dtype))


# ---- selection and casting ------------------------------------------------------------
def _where_infer(cond, a, b):
    return TensorSpec(broadcast(cond.shape, a.shape, b.shape), dtypes.result_dtype(a.dtype, b.dtype))


_where = define_op("where", _where_infer)


def where(condition, x, y, name=None):
    """Elementwise `x if condition else y`; Python scalars take the other branch's dtype."""
    from ..registry import is_symbolic

    if not any(hasattr(v, "dtype") for v in (x, y)):
        x = np.asarray(x, dtype=dtypes.floatx())
    like = x.dtype if hasattr(x, "dtype") else y.dtype
    x = x if hasattr(x, "dtype") or is_symbolic(x) else np.asarray(x, dtype=like)
    y = y if hasattr(y, "dtype") or is_symbolic(y) else np.asarray(y, dtype=like)
    return _where(condition, x, y, name=name)


@_where.gradient
def _(node, dy):
    cond, a, b = node.inputs
    zero = zeros_like(dy)
    return None, unbroadcast(_where(cond, dy, zero), a), unbroadcast(_where(cond, zero, dy), b)


cast_op = define_op("cast", lambda x, dtype: TensorSpec(x.shape, dtype), attrs={"dtype": REQUIRED})


@cast_op.gradient
def _(node, dy):
    x = node.inputs[0]
    return cast(dy, x.dtype) if dtypes.is_float(x.dtype) else None


def cast(x, dtype, name=None):
    """`x` converted to `dtype` (a no-op when it already has it)."""
    dtype = dtypes.as_dtype(dtype)
    if getattr(x, "dtype", None) == dtype and hasattr(x, "shape"):
        return x
    return cast_op(x, dtype=dtype, name=name)


zeros_like = define_op("zeros_like", same, differentiable=False)
ones_like = define_op("ones_like", same, differentiable=False)


def _add_n_infer(*xs):
    if len({tuple(x.shape) for x in xs}) > 1 and not all(dims_match(a, b) for x in xs for a, b in zip(x.shape, xs[0].shape)):
        raise ShapeError("add_n needs inputs of one shape")
    return TensorSpec(xs[0].shape, xs[0].dtype)


add_n = define_op("add_n", _add_n_infer, elementwise=True)
add_n.gradient(lambda node, dy: [dy] * len(node.inputs))

# ---- reductions -----------------------------------------------------------------------
def _reduce_infer(x, axis, keepdims):
    return TensorSpec(reduced(x.shape, axis, keepdims), x.dtype)


def _arg_infer(x, axis):
    return TensorSpec(reduced(x.shape, axis, False), dtypes.int64)


reduce_sum = define_op("reduce_sum", _reduce_infer, attrs={"axis": None, "keepdims": False})
reduce_mean = define_op("reduce_mean", _reduce_infer, attrs={"axis": None, "keepdims": False})
reduce_max = define_op("reduce_max", _reduce_infer, attrs={"axis": None, "keepdims": False})
reduce_min = define_op("reduce_min", _reduce_infer, attrs={"axis": None, "keepdims": False})
reduce_prod = define_op("reduce_prod", _reduce_infer, attrs={"axis": None, "keepdims": False})
argmax = define_op("argmax", _arg_infer, attrs={"axis": -1}, differentiable=False)
argmin = define_op("argmin", _arg_infer, attrs={"axis": -1}, differentiable=False)


def _keep(node, dy):
    """`dy` reshaped so that it broadcasts against the reduced input."""
    if node.attrs["keepdims"]:
        return dy
    from .array import expand_dims

    for axis in norm_axes(node.attrs["axis"], len(node.inputs[0].shape)):
        dy = expand_dims(dy, axis=axis)
    return dy


@reduce_sum.gradient
def _(node, dy):
    return broadcast_like(_keep(node, dy), node.inputs[0])


@reduce_mean.gradient
def _(node, dy):
    x = node.inputs[0]
    return divide(broadcast_like(_keep(node, dy), x), cast(reduction_size(x, axis=node.attrs["axis"]), dy.dtype))


def _extreme_grad(node, dy):
    x, y = node.inputs[0], node.outputs[0]
    y = y if node.attrs["keepdims"] else _keep(node, y)
    hit = cast(equal(x, y), dy.dtype)
    count = reduce_sum(hit, axis=node.attrs["axis"], keepdims=True)
    return multiply(divide(hit, count), _keep(node, dy))


reduce_max.gradient(_extreme_grad)
reduce_min.gradient(_extreme_grad)


@reduce_prod.gradient
def _(node, dy):
    x, y = node.inputs[0], node.outputs[0]
    y = y if node.attrs["keepdims"] else _keep(node, y)
    return multiply(_keep(node, dy), divide(y, x))


broadcast_like = define_op("broadcast_like", lambda x, like: TensorSpec(broadcast(x.shape, like.shape), x.dtype))
broadcast_like.gradient(lambda node, dy: (unbroadcast(dy, node.inputs[0]), None))

reduction_size = define_op("reduction_size", lambda x, axis: TensorSpec((), dtypes.int64), attrs={"axis": None}, differentiable=False)

# ---- matrix products ------------------------------------------------------------------
def _matmul_infer(a, b, transpose_a, transpose_b):
    if len(a.shape) < 2 or len(b.shape) < 2:
        raise ShapeError("matmul needs inputs of rank >= 2")
    m, k1 = (a.shape[-1], a.shape[-2]) if transpose_a else (a.shape[-2], a.shape[-1])
    k2, n = (b.shape[-1], b.shape[-2]) if transpose_b else (b.shape[-2], b.shape[-1])
    if not dims_match(k1, k2):
        raise ShapeError(f"inner dimensions differ ({k1} vs {k2})")
    batch = broadcast(a.shape[:-2], b.shape[:-2])
    return TensorSpec(batch + (m, n), dtypes.result_dtype(a.dtype, b.dtype))


matmul = define_op("matmul", _matmul_infer, attrs={"transpose_a": False, "transpose_b": False})


@matmul.gradient
def _(node, dy):
    a, b = node.inputs
    ta, tb = node.attrs["transpose_a"], node.attrs["transpose_b"]
    if ta:
        da = matmul(b, dy, transpose_a=tb, transpose_b=True)
    else:
        da = matmul(dy, b, transpose_b=not tb)
    if tb:
        db = matmul(dy, a, transpose_a=True, transpose_b=ta)
    else:
        db = matmul(a, dy, transpose_a=not ta)
    return unbroadcast(da, a), unbroadcast(db, b)


def _bias_add_infer(x, b):
    if len(b.shape) != 1 or not dims_match(x.shape[-1], b.shape[0]):
        raise ShapeError(f"bias of shape {b.shape} does not fit the last axis of {x.shape}")
    return TensorSpec(x.shape, x.dtype)


bias_add = define_op("bias_add", _bias_add_infer, elementwise=True)


@bias_add.gradient
def _(node, dy):
    axes = tuple(range(len(dy.shape) - 1))
    return dy, reduce_sum(dy, axis=axes)
