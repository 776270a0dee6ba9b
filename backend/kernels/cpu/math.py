"""NumPy kernels for elementwise math, reductions and matrix products.

Elementwise kernels take `out=` so the compiler can hand them preallocated buffers.
`out` may be the very array passed as an input (a fused chain runs in one buffer), so a
kernel reads all of its inputs before its first write to `out`.
"""
import numpy as np

from .table import register

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def _ufunc(name, fn):
    register(name, out=True)(lambda *xs, out=None: fn(*xs, out=out))


for _name, _fn in {
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.true_divide,
    "power": np.power, "maximum": np.maximum, "minimum": np.minimum,
    "equal": np.equal, "not_equal": np.not_equal, "less": np.less, "less_equal": np.less_equal,
    "greater": np.greater, "greater_equal": np.greater_equal, "logical_and": np.logical_and,
    "logical_or": np.logical_or, "logical_not": np.logical_not, "sign": np.sign, "floor": np.floor,
    "round": np.round, "negative": np.negative, "abs": np.abs, "exp": np.exp, "log": np.log,
    "log1p": np.log1p, "sqrt": np.sqrt, "square": np.square, "reciprocal": np.reciprocal,
    "sin": np.sin, "cos": np.cos, "tanh": np.tanh,
}.items():
    _ufunc(_name, _fn)


@register("squared_difference", out=True)
def squared_difference(a, b, out=None):
    out = np.subtract(a, b, out=out)
    return np.square(out, out=out)


@register("rsqrt", out=True)
def rsqrt(x, out=None):
    out = np.sqrt(x, out=out)
    return np.reciprocal(out, out=out)


@register("sigmoid", out=True)
def sigmoid(x, out=None):
    """Stable logistic: 0.5 * (1 + tanh(x / 2))."""
    out = np.multiply(x, 0.5, out=out)
    np.tanh(out, out=out)
    np.add(out, 1.0, out=out)
    return np.multiply(out, 0.5, out=out)


@register("relu", out=True)
def relu(x, out=None):
    return np.maximum(x, 0, out=out)


@register("relu6", out=True)
def relu6(x, out=None):
    return np.clip(x, 0, 6, out=out)


@register("leaky_relu", out=True)
def leaky_relu(x, alpha, out=None):
    res = np.where(x > 0, x, x * np.asarray(alpha, x.dtype))
    return res if out is None else _into(out, res)


@register("elu", out=True)
def elu(x, alpha, out=None):
    neg = np.expm1(np.minimum(x, 0)) * np.asarray(alpha, x.dtype)
    return np.where(x > 0, x, neg) if out is None else _into(out, np.where(x > 0, x, neg))


@register("selu", out=True)
def selu(x, out=None):
    neg = np.expm1(np.minimum(x, 0)) * np.asarray(SELU_ALPHA, x.dtype)
    res = np.where(x > 0, x, neg) * np.asarray(SELU_SCALE, x.dtype)
    return res if out is None else _into(out, res)


@register("softplus", out=True)
def softplus(x, out=None):
    """log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|))."""
    res = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    return res if out is None else _into(out, res)


@register("softsign", out=True)
def softsign(x, out=None):
    res = x / (1 + np.abs(x))
    return res if out is None else _into(out, res)


def erf_array(x: np.ndarray) -> np.ndarray:
    """erf to ~1e-7 absolute (Abramowitz & Stegun 7.1.26), computed in float64."""
    z = np.abs(x.astype(np.float64))
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return (np.sign(x) * (1.0 - poly * np.exp(-z * z))).astype(x.dtype)


@register("erf", out=True)
def erf(x, out=None):
    return erf_array(x) if out is None else _into(out, erf_array(x))


@register("gelu", out=True)
def gelu(x, approximate, out=None):
    if approximate:
        c = np.asarray(np.sqrt(2 / np.pi), x.dtype)
        res = 0.5 * x * (1 + np.tanh(c * (x + np.asarray(0.044715, x.dtype) * x ** 3)))
    else:
        res = 0.5 * x * (1 + erf_array(x / np.asarray(np.sqrt(2), x.dtype)))
    return res if out is None else _into(out, res)


@register("clip", out=True)
def clip(x, min, max, out=None):  # noqa: A002 - Keras names
    return np.clip(x, min, max, out=out)


@register("relu_grad", out=True)
def relu_grad(dy, y, out=None):
    return np.multiply(dy, y > 0, out=out)


@register("sigmoid_grad", out=True)
def sigmoid_grad(dy, y, out=None):
    """dy * y * (1 - y)."""
    slope = np.subtract(1, y)
    np.multiply(slope, y, out=slope)
    return np.multiply(dy, slope, out=out)


@register("tanh_grad", out=True)
def tanh_grad(dy, y, out=None):
    """dy * (1 - y^2)."""
    slope = np.square(y)
    np.subtract(1, slope, out=slope)
    return np.multiply(dy, slope, out=out)


def _into(out, value):
    np.copyto(out, value)
    return out


@register("where")
def where(cond, a, b):
    return np.where(cond, a, b)


@register("cast")
def cast(x, dtype):
    return x.astype(dtype, copy=False)


@register("zeros_like")
def zeros_like(x):
    return np.zeros_like(x)


@register("ones_like")
def ones_like(x):
    return np.ones_like(x)


@register("add_n", out=True)
def add_n(*xs, out=None):
    total = xs[0]
    for x in xs[1:-1]:
        total = np.add(total, x)
    return np.add(total, xs[-1], out=out)


@register("bias_add", out=True)
def bias_add(x, b, out=None):
    return np.add(x, b, out=out)


@register("unbroadcast")
def unbroadcast(dy, like):
    """Sum `dy` over the axes that broadcasting expanded to reach its shape."""
    shape = like.shape
    lead = dy.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, d in enumerate(shape) if d == 1 and dy.shape[i + lead] != 1)
    summed = dy.sum(axis=axes, keepdims=True) if axes else dy
    return summed.reshape(shape)


@register("broadcast_like")
def broadcast_like(x, like):
    return np.broadcast_to(x, np.broadcast_shapes(x.shape, like.shape))


@register("reduction_size")
def reduction_size(x, axis):
    axes = range(x.ndim) if axis is None else ((axis,) if isinstance(axis, int) else axis)
    return np.asarray(int(np.prod([x.shape[a] for a in axes], dtype=np.int64)), dtype=np.int64)


def _reduction(name, fn):
    @register(name)
    def kernel(x, axis, keepdims):
        return np.asarray(fn(x, axis=axis, keepdims=keepdims))
    return kernel


_reduction("reduce_sum", np.sum)
_reduction("reduce_mean", np.mean)
_reduction("reduce_max", np.max)
_reduction("reduce_min", np.min)
_reduction("reduce_prod", np.prod)


@register("argmax")
def argmax(x, axis):
    return np.asarray(np.argmax(x, axis=axis), dtype=np.int64)


@register("argmin")
def argmin(x, axis):
    return np.asarray(np.argmin(x, axis=axis), dtype=np.int64)


@register("matmul", out=True)
def matmul(a, b, transpose_a, transpose_b, out=None):
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b, out=out)
