"""Every differentiable op in the registry passes a float64 central-finite-difference check."""
import importlib
import pkgutil

import numpy as np
import pytest

import kerasish.backend as kb
from kerasish.backend.registry import OPS

from . import gradcases

CASES = {}
for _module in pkgutil.iter_modules(gradcases.__path__):
    for _op, _cases in importlib.import_module(f"{gradcases.__name__}.{_module.name}").CASES.items():
        CASES.setdefault(_op, []).extend(_cases)

DIFFERENTIABLE = sorted(name for name, op in OPS.items() if op.differentiable)
EPS = 1e-6


def _checked(outs, case):
    """The outputs whose gradients flow: `case["outputs"]` (indices) or every float output."""
    chosen = [outs[i] for i in case["outputs"]] if "outputs" in case else outs
    return [o for o in chosen if np.issubdtype(o.dtype, np.floating)]


def test_every_differentiable_op_has_a_gradient_and_a_case():
    assert not [n for n in DIFFERENTIABLE if OPS[n].grad is None], "differentiable ops without a gradient"
    assert not [n for n in DIFFERENTIABLE if n not in CASES], "differentiable ops without a gradient-check case"


def _loss_fn(op_name, case, weights):
    """sum_i sum(output_i * R_i) as a compiled function of the inputs, plus its gradients."""
    graph = kb.Graph()
    with graph.as_default():
        feeds = [kb.placeholder(np.asarray(a).dtype, np.shape(a)) for a in case["inputs"]]
        out = OPS[op_name](*feeds, **case.get("attrs", {}))
        outs = out if isinstance(out, tuple) else (out,)
        float_outs = [o for o in _checked(outs, case)]
        terms = [kb.reduce_sum(o * w) for o, w in zip(float_outs, weights)]
        loss = terms[0] if len(terms) == 1 else kb.add_n(*terms)
        wrt = [f for f in feeds if np.issubdtype(f.dtype, np.floating)]
        grads = kb.gradients(loss, wrt)
    return kb.compile([loss], feeds), kb.compile([g if g is not None else kb.zeros_like(w) for g, w in zip(grads, wrt)], feeds)


@pytest.mark.parametrize("op_name", DIFFERENTIABLE)
def test_gradient_matches_finite_differences(op_name):
    for case in CASES.get(op_name, []):
        inputs = [np.array(a) for a in case["inputs"]]
        probe = OPS[op_name]
        kb.set_random_seed(0)
        with kb.eager_mode():
            out = probe(*inputs, **case.get("attrs", {}))
        outs = out if isinstance(out, tuple) else (out,)
        rng = np.random.default_rng(1)
        weights = [rng.normal(size=np.shape(o)) for o in _checked([np.asarray(o) for o in outs], case)]
        loss, grad = _loss_fn(op_name, case, weights)

        def value(args):
            kb.set_random_seed(0)
            return float(loss(*args)[0])

        kb.set_random_seed(0)
        analytic = grad(*inputs)
        float_idx = [i for i, a in enumerate(inputs) if np.issubdtype(a.dtype, np.floating)]
        for g, i in zip(analytic, float_idx):
            numeric = np.zeros_like(inputs[i])
            for j in np.ndindex(inputs[i].shape):
                plus = [a.copy() for a in inputs]
                minus = [a.copy() for a in inputs]
                plus[i][j] += EPS
                minus[i][j] -= EPS
                numeric[j] = (value(plus) - value(minus)) / (2 * EPS)
            np.testing.assert_allclose(g, numeric, rtol=1e-4, atol=1e-6, err_msg=f"{op_name} input {i}, case {case.get('attrs')}")
