"""Gradient-check cases for the math and array ops."""
import numpy as np

rng = np.random.default_rng(0)


def r(*shape, positive=False):
    x = rng.normal(size=shape)
    return np.abs(x) + 0.5 if positive else x


UNARY = ["negative", "abs", "exp", "square", "sin", "cos", "erf", "tanh", "sigmoid", "relu", "relu6", "selu",
         "softplus", "softsign"]
CASES = {name: [dict(inputs=[r(3, 4)])] for name in UNARY}
CASES.update({
    "log": [dict(inputs=[r(3, 4, positive=True)])],
    "log1p": [dict(inputs=[r(3, 4, positive=True)])],
    "sqrt": [dict(inputs=[r(3, 4, positive=True)])],
    "rsqrt": [dict(inputs=[r(3, 4, positive=True)])],
    "reciprocal": [dict(inputs=[r(3, 4, positive=True)])],
    "elu": [dict(inputs=[r(3, 4)], attrs={"alpha": 1.5})],
    "leaky_relu": [dict(inputs=[r(3, 4)], attrs={"alpha": 0.2})],
    "gelu": [dict(inputs=[r(3, 4)], attrs={"approximate": False}), dict(inputs=[r(3, 4)], attrs={"approximate": True})],
    "clip": [dict(inputs=[r(3, 4)], attrs={"min": -0.5, "max": 0.5})],
    "add": [dict(inputs=[r(3, 4), r(4)]), dict(inputs=[r(2, 1, 3), r(4, 1)])],
    "subtract": [dict(inputs=[r(3, 4), r(3, 1)])],
    "multiply": [dict(inputs=[r(3, 4), r(1, 4)])],
    "divide": [dict(inputs=[r(3, 4), r(3, 4, positive=True)])],
    "power": [dict(inputs=[r(3, 4, positive=True), r(3, 4)])],
    "maximum": [dict(inputs=[r(3, 4), r(3, 4)])],
    "minimum": [dict(inputs=[r(3, 4), r(4)])],
    "squared_difference": [dict(inputs=[r(3, 4), r(4)])],
    "where": [dict(inputs=[r(3, 4) > 0, r(3, 4), r(4)])],
    "cast": [dict(inputs=[r(3, 4)], attrs={"dtype": np.dtype("float64")})],
    "add_n": [dict(inputs=[r(3, 4), r(3, 4), r(3, 4)])],
    "reduce_sum": [dict(inputs=[r(3, 4, 2)], attrs={"axis": (0, 2), "keepdims": False}), dict(inputs=[r(3, 4)], attrs={"axis": None, "keepdims": True})],
    "reduce_mean": [dict(inputs=[r(3, 4, 2)], attrs={"axis": 1, "keepdims": False})],
    "reduce_max": [dict(inputs=[r(3, 4)], attrs={"axis": 1, "keepdims": False})],
    "reduce_min": [dict(inputs=[r(3, 4)], attrs={"axis": 0, "keepdims": True})],
    "reduce_prod": [dict(inputs=[r(3, 4, positive=True)], attrs={"axis": 1, "keepdims": False})],
    "broadcast_like": [dict(inputs=[r(1, 4), r(3, 4)])],
    "matmul": [dict(inputs=[r(3, 4), r(4, 5)]), dict(inputs=[r(2, 3, 4), r(4, 5)]),
               dict(inputs=[r(4, 3), r(5, 4)], attrs={"transpose_a": True, "transpose_b": True})],
    "bias_add": [dict(inputs=[r(2, 3, 4), r(4)])],
    "identity": [dict(inputs=[r(3, 4)])],
    "reshape": [dict(inputs=[r(3, 4)], attrs={"shape": (2, -1)})],
    "reshape_like": [dict(inputs=[r(3, 4), r(12)])],
    "transpose": [dict(inputs=[r(2, 3, 4)], attrs={"perm": (2, 0, 1)})],
    "expand_dims": [dict(inputs=[r(3, 4)], attrs={"axis": 1})],
    "squeeze": [dict(inputs=[r(3, 1, 4)], attrs={"axis": 1})],
    "concat": [dict(inputs=[r(3, 2), r(3, 4)], attrs={"axis": 1})],
    "split": [dict(inputs=[r(4, 6)], attrs={"num_or_sizes": (2, 4), "axis": 1})],
    "getitem": [dict(inputs=[r(4, 5)], attrs={"key": (("s", 1, None, None), 2)})],
    "gather": [dict(inputs=[r(5, 3), np.array([[0, 4], [4, 1]])], attrs={"axis": 0})],
    "pad": [dict(inputs=[r(2, 3)], attrs={"paddings": ((1, 0), (2, 1)), "constant": 0.0})],
    "tile": [dict(inputs=[r(2, 3)], attrs={"multiples": (2, 3)})],
    "reverse": [dict(inputs=[r(2, 3)], attrs={"axis": 1})],
})
