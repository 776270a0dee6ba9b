"""Conv/pool/resize kernels against Keras fixtures, naive loop references and adjoint identities."""
import itertools
from pathlib import Path

import numpy as np
import pytest

from kerasish.backend.device import get_device

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "keras_reference" / "layers"
RTOL, ATOL = 1e-5, 1e-5


def kernel(name):
    return get_device().kernel(name)


def load(case):
    return dict(np.load(FIXTURES / f"{case}.npz"))


def close(actual, expected, rtol=RTOL, atol=ATOL):
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


ACTIVATIONS = {  # name -> (f, derivative given the output)
    "linear": (lambda z: z, lambda y: np.ones_like(y)),
    "relu": (lambda z: np.maximum(z, 0), lambda y: (y > 0).astype(y.dtype)),
    "tanh": (np.tanh, lambda y: 1 - y * y),
}


def check_conv_case(d, x, w, attrs, activation):
    """Forward (conv + bias + activation) and gradients of sum(y * R) against the fixture."""
    f, df = ACTIVATIONS[activation]
    z = kernel("conv2d")(x, w, **attrs)
    assert z.dtype == np.float32
    if "w1" in d:
        z = z + d["w1"]
    y = f(z)
    g = (d["R"] * df(y)).astype(np.float32)
    gx = kernel("conv2d_backprop_input")(g.reshape(z.shape), w, x, **attrs)
    gw = kernel("conv2d_backprop_filter")(x, g.reshape(z.shape), kernel_size=w.shape[:2], **attrs)
    assert gx.dtype == gw.dtype == np.float32
    return y, gx, gw, g


CONV2D_CASES = [
    ("conv2d_valid_s1", (1, 1), "valid", (1, 1), "linear"),
    ("conv2d_same_s1", (1, 1), "same", (1, 1), "relu"),
    ("conv2d_valid_s2", (2, 2), "valid", (1, 1), "linear"),
    ("conv2d_same_s2", (2, 2), "same", (1, 1), "linear"),
    ("conv2d_same_s2_odd", (2, 2), "same", (1, 1), "linear"),
    ("conv2d_valid_s1_nobias_k1", (1, 1), "valid", (1, 1), "linear"),
    ("conv2d_same_dilated", (1, 1), "same", (2, 2), "linear"),
]


@pytest.mark.parametrize("case,strides,padding,dilation,activation", CONV2D_CASES)
def test_conv2d_matches_keras(case, strides, padding, dilation, activation):
    d = load(case)
    attrs = dict(strides=strides, padding=padding, dilation=dilation)
    y, gx, gw, g = check_conv_case(d, d["x0"], d["w0"], attrs, activation)
    close(y, d["y"])
    close(gx, d["gx0"])
    close(gw, d["gw0"])
    if "gw1" in d:
        close(g.sum(axis=(0, 1, 2)), d["gw1"])


CONV1D_CASES = [
    ("conv1d_valid_s1", 1, "valid", "linear"),
    ("conv1d_same_s2", 2, "same", "linear"),
    ("conv1d_causal", 1, "causal", "tanh"),
]


@pytest.mark.parametrize("case,stride,padding,activation", CONV1D_CASES)
def test_conv1d_matches_keras(case, stride, padding, activation):
    d = load(case)
    x, w = d["x0"], d["w0"]
    pad2d = ((0, 0), (w.shape[0] - 1, 0)) if padding == "causal" else padding
    attrs = dict(strides=(1, stride), padding=pad2d, dilation=(1, 1))
    y, gx, gw, _ = check_conv_case({**d, "R": d["R"][:, None]}, x[:, None], w[None], attrs, activation)
    close(y[:, 0], d["y"])
    close(gx[:, 0], d["gx0"])
    close(gw[0], d["gw0"])


@pytest.mark.parametrize("case,stride,padding,activation", CONV1D_CASES)
def test_conv1d_wrapper_matches_keras(case, stride, padding, activation):
    from kerasish.backend.ops.conv import conv1d

    d = load(case)
    y = conv1d(d["x0"], d["w0"], stride=stride, padding=padding)
    close(ACTIVATIONS[activation][0](np.asarray(y) + d["w1"]), d["y"])


POOL_CASES = [
    ("maxpool2d_2", "max", (2, 2), (2, 2), "valid"),
    ("maxpool2d_3_s2_same", "max", (3, 3), (2, 2), "same"),
    ("avgpool2d_2", "avg", (2, 2), (2, 2), "valid"),
    ("avgpool2d_3_s2_same", "avg", (3, 3), (2, 2), "same"),
    ("avgpool2d_3_s1_valid_odd", "avg", (3, 3), (1, 1), "valid"),
]


@pytest.mark.parametrize("case,kind,pool_size,strides,padding", POOL_CASES)
def test_pool_matches_keras(case, kind, pool_size, strides, padding):
    d = load(case)
    x, attrs = d["x0"], dict(pool_size=pool_size, strides=strides, padding=padding)
    y = kernel(f"{kind}_pool2d")(x, **attrs)
    extra = (y,) if kind == "max" else ()
    gx = kernel(f"{kind}_pool2d_grad")(d["R"], x, *extra, **attrs)
    assert y.dtype == gx.dtype == np.float32
    close(y, d["y"])
    close(gx, d["gx0"])


# ---- naive references -------------------------------------------------------------------
def explicit_pads(shape, k, strides, dilation, padding):
    if not isinstance(padding, str):
        return padding
    pads = []
    for size, kk, s, dd in zip(shape[1:3], k, strides, dilation):
        if padding == "valid":
            pads.append((0, 0))
            continue
        out = -(-size // s)
        total = max((out - 1) * s + (kk - 1) * dd + 1 - size, 0)
        pads.append((total // 2, total - total // 2))
    return tuple(pads)


def naive_windows(x, k, strides, dilation, padding, fill=0.0):
    """Yield (oh, ow, patch (N, kh, kw, C), valid mask (kh, kw)) by explicit loops."""
    (top, bottom), (left, right) = explicit_pads(x.shape, k, strides, dilation, padding)
    n, h, w, c = x.shape
    xp = np.full((n, h + top + bottom, w + left + right, c), fill, x.dtype)
    xp[:, top:top + h, left:left + w] = x
    mask = np.zeros(xp.shape[1:3], bool)
    mask[top:top + h, left:left + w] = True
    span = [(kk - 1) * dd + 1 for kk, dd in zip(k, dilation)]
    for oh in range(0, xp.shape[1] - span[0] + 1, strides[0]):
        for ow in range(0, xp.shape[2] - span[1] + 1, strides[1]):
            rows = slice(oh, oh + span[0], dilation[0])
            cols = slice(ow, ow + span[1], dilation[1])
            yield oh // strides[0], ow // strides[1], xp[:, rows, cols], mask[rows, cols]


def naive_conv(x, w, strides, padding, dilation, depthwise=False):
    outs = {}
    for oh, ow, patch, _ in naive_windows(x, w.shape[:2], strides, dilation, padding):
        if depthwise:
            outs[oh, ow] = np.einsum("nijc,ijcm->ncm", patch, w).reshape(x.shape[0], -1)
        else:
            outs[oh, ow] = np.einsum("nijc,ijco->no", patch, w)
    return assemble(outs)


def assemble(outs):
    oh, ow = max(outs)[0] + 1, max(k[1] for k in outs) + 1
    first = outs[0, 0]
    y = np.zeros((first.shape[0], oh, ow, first.shape[1]), first.dtype)
    for (i, j), v in outs.items():
        y[:, i, j] = v
    return y


CONV_GEOMETRIES = [  # x shape, kernel (kh, kw), strides, padding, dilation
    ((2, 7, 9, 3), (3, 2), (2, 3), "same", (1, 1)),
    ((1, 10, 6, 2), (3, 3), (1, 1), "same", (2, 3)),
    ((3, 8, 8, 1), (5, 5), (3, 2), "valid", (1, 1)),
    ((2, 6, 7, 4), (2, 3), (2, 1), ((1, 2), (0, 3)), (2, 1)),
    ((1, 5, 5, 3), (1, 1), (2, 2), "same", (1, 1)),
    ((2, 4, 4, 2), (4, 4), (1, 1), "same", (1, 1)),
]


def adjoint_check(forward, x, w, g, dx, dw):
    """<conv(x, w), g> == <x, dx> == <w, dw> holds exactly for the true gradients of a bilinear map."""
    total = np.sum(forward * g)
    np.testing.assert_allclose(np.sum(x * dx), total, rtol=1e-10)
    np.testing.assert_allclose(np.sum(w * dw), total, rtol=1e-10)


@pytest.mark.parametrize("depthwise", [False, True])
@pytest.mark.parametrize("shape,k,strides,padding,dilation", CONV_GEOMETRIES)
def test_conv_against_naive(shape, k, strides, padding, dilation, depthwise):
    rng = np.random.default_rng(0)
    name = "depthwise_conv2d" if depthwise else "conv2d"
    x = rng.standard_normal(shape)
    w = rng.standard_normal((*k, shape[3], 2 if depthwise else 3))
    attrs = dict(strides=strides, padding=padding, dilation=dilation)
    y = kernel(name)(x, w, **attrs)
    np.testing.assert_allclose(y, naive_conv(x, w, strides, padding, dilation, depthwise), rtol=1e-10, atol=1e-12)
    g = rng.standard_normal(y.shape)
    dx = kernel(f"{name}_backprop_input")(g, w, x, **attrs)
    dw = kernel(f"{name}_backprop_filter")(x, g, kernel_size=k, **attrs)
    assert dx.shape == x.shape and dw.shape == w.shape
    adjoint_check(y, x, w, g, dx, dw)
    y32 = kernel(name)(x.astype(np.float32), w.astype(np.float32), **attrs)
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32, y, rtol=1e-4, atol=1e-4)


POOL_GEOMETRIES = [  # x shape, pool_size, strides, padding
    ((2, 7, 9, 3), (3, 2), (2, 3), "same"),
    ((1, 6, 6, 2), (2, 2), None, "valid"),
    ((2, 5, 8, 1), (3, 3), (1, 1), "same"),
    ((1, 9, 7, 2), (4, 3), (3, 2), "valid"),
    ((1, 5, 5, 2), (2, 3), (1, 2), ((1, 0), (2, 1))),
]


def naive_pool(x, kind, pool_size, strides, padding):
    strides = strides or pool_size
    y = {}
    for oh, ow, patch, valid in naive_windows(x, pool_size, strides, (1, 1), padding, fill=np.nan):
        if kind == "avg":
            y[oh, ow] = np.nansum(patch, axis=(1, 2)) / valid.sum()
        else:
            y[oh, ow] = np.nanmax(patch, axis=(1, 2))
    return assemble(y)


def naive_max_pool_grad(x, g, pool_size, strides, padding):
    """Route each output gradient to the first maximum of its window (row-major)."""
    strides = strides or pool_size
    (top, _), (left, _) = explicit_pads(x.shape, pool_size, strides, (1, 1), padding)
    dx = np.zeros_like(x)
    for oh, ow, patch, _ in naive_windows(x, pool_size, strides, (1, 1), padding, fill=-np.inf):
        n_, c_ = np.meshgrid(np.arange(x.shape[0]), np.arange(x.shape[3]), indexing="ij")
        flat = patch.transpose(0, 3, 1, 2).reshape(x.shape[0], x.shape[3], -1).argmax(-1)
        i, j = np.unravel_index(flat, patch.shape[1:3])
        np.add.at(dx, (n_, oh * strides[0] + i - top, ow * strides[1] + j - left, c_), g[:, oh, ow])
    return dx


@pytest.mark.parametrize("shape,pool_size,strides,padding", POOL_GEOMETRIES)
def test_pools_against_naive(shape, pool_size, strides, padding):
    rng = np.random.default_rng(1)
    x = rng.integers(-3, 3, shape).astype(np.float64)  # many ties: the first maximum must win
    attrs = dict(pool_size=pool_size, strides=strides, padding=padding)
    for kind in ("max", "avg"):
        y = kernel(f"{kind}_pool2d")(x, **attrs)
        np.testing.assert_allclose(y, naive_pool(x, kind, pool_size, strides, padding), rtol=1e-12)
    g = rng.standard_normal(y.shape)
    dx_avg = kernel("avg_pool2d_grad")(g, x, **attrs)
    np.testing.assert_allclose(np.sum(x * dx_avg), np.sum(y * g), rtol=1e-10)
    y_max = kernel("max_pool2d")(x, **attrs)
    dx_max = kernel("max_pool2d_grad")(g, x, y_max, **attrs)
    np.testing.assert_allclose(dx_max, naive_max_pool_grad(x, g, pool_size, strides, padding), rtol=1e-12, atol=1e-12)


def test_resize_nearest_and_grad():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    y = kernel("resize_nearest")(x, scale=(2, 3))
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, x.repeat(2, axis=1).repeat(3, axis=2))
    g = rng.standard_normal(y.shape).astype(np.float32)
    dx = kernel("resize_nearest_grad")(g, scale=(2, 3))
    expected = sum(g[:, i::2, j::3] for i, j in itertools.product(range(2), range(3)))
    np.testing.assert_allclose(dx, expected, rtol=1e-5)


# ---- shape inference --------------------------------------------------------------------
def test_shape_inference_with_unknown_batch():
    from kerasish.backend.graph import Graph
    from kerasish.backend.ops.array import placeholder
    from kerasish.backend.ops.conv import conv2d, conv2d_backprop_filter, conv2d_backprop_input, depthwise_conv2d
    from kerasish.backend.ops.pool import avg_pool2d, max_pool2d, resize_nearest

    with Graph().as_default():
        x = placeholder("float32", (None, 28, 28, 3))
        w = np.zeros((3, 3, 3, 8), np.float32)
        y = conv2d(x, w, strides=(2, 2), padding="same")
        assert tuple(y.shape) == (None, 14, 14, 8)
        assert tuple(conv2d_backprop_input(y, w, x, strides=(2, 2), padding="same").shape) == (None, 28, 28, 3)
        assert tuple(conv2d_backprop_filter(x, y, kernel_size=(3, 3), strides=(2, 2), padding="same").shape) == (3, 3, 3, 8)
        assert tuple(depthwise_conv2d(x, np.zeros((3, 3, 3, 2), np.float32)).shape) == (None, 26, 26, 6)
        assert tuple(max_pool2d(x, pool_size=(3, 3), strides=(2, 2), padding="same").shape) == (None, 14, 14, 3)
        assert tuple(avg_pool2d(x).shape) == (None, 14, 14, 3)
        assert tuple(resize_nearest(x, scale=(2, 1)).shape) == (None, 56, 28, 3)


@pytest.mark.parametrize("w_shape,attrs,message", [
    ((3, 3, 4, 8), {}, "channels"),
    ((3, 3, 3, 8), {"padding": "full"}, "padding"),
    ((9, 9, 3, 8), {}, "does not fit"),
    ((3, 3, 3, 8), {"strides": (0, 1)}, "strides"),
])
def test_conv2d_errors_are_clear(w_shape, attrs, message):
    from kerasish.backend.errors import GraphError
    from kerasish.backend.ops.conv import conv2d

    with pytest.raises(GraphError, match=message):
        conv2d(np.zeros((1, 8, 8, 3), np.float32), np.zeros(w_shape, np.float32), **attrs)
