"""Graph building errors, compiler passes and the executor."""
import numpy as np
import pytest

import kerasish.backend as kb
from kerasish.backend.compiler import passes
from kerasish.backend.compiler.program import extract
from kerasish.backend.device import get_device


@pytest.fixture
def graph():
    g = kb.Graph()
    with g.as_default():
        yield g


def _program(fetches, feeds, specs):
    program = extract(fetches, [], feeds)
    passes.infer_shapes(program, [kb.TensorSpec(s, "float32") for s in specs])
    return program


def test_shape_mismatch_names_op_and_shapes(graph):
    a = kb.placeholder(kb.float32, [None, 3], name="a")
    b = kb.placeholder(kb.float32, [4, 5], name="b")
    with pytest.raises(kb.GraphError, match=r"matmul.*inner dimensions differ.*\(None, 3\).*\(4, 5\)"):
        kb.matmul(a, b)


def test_unknown_attribute_is_rejected(graph):
    x = kb.placeholder(kb.float32, [2])
    with pytest.raises(kb.GraphError, match="unknown attribute"):
        kb.OPS["reduce_sum"](x, axiss=0)


def test_feed_errors_name_the_placeholder(graph):
    x = kb.placeholder(kb.float32, [None, 3], name="features")
    y = x * 2.0
    with kb.Session() as sess:
        with pytest.raises(kb.FeedError, match="features.*shape"):
            sess.run(y, {x: np.zeros((2, 4))})
        with pytest.raises(kb.FeedError, match="placeholder 'features'.*must be fed"):
            sess.run(y)
        with pytest.raises(kb.FeedError, match="dtype"):
            sess.run(y, {x: np.array([["a", "b", "c"]])})


def test_graph_prints_one_line_per_op(graph):
    x = kb.placeholder(kb.float32, [None, 3], name="x")
    with kb.name_scope("layer1"):
        kb.tanh(x)
    text = graph.to_text()
    assert len(text.splitlines()) == 2
    assert "layer1/tanh" in text and "(None, 3) float32" in text


def test_constant_folding_and_cse(graph):
    x = kb.placeholder(kb.float32, [None, 4], name="x")
    c = kb.add(np.ones(4, np.float32), np.ones(4, np.float32))
    folded = kb.multiply(kb.square(kb.Variable(np.ones(4, np.float32))), 1.0)
    y = kb.add(kb.tanh(x), kb.tanh(x)) + folded
    program = _program([y], [x], [(2, 4)])
    passes.fold_constants(program, get_device())
    passes.eliminate_common_subexpressions(program)
    ops = [n.op for n in program.nodes]
    assert ops.count("tanh") == 1 and program.stats["cse_merged"] == 1
    assert c.shape == (4,)


def test_shape_only_ops_fold_to_constants(graph):
    x = kb.placeholder(kb.float32, [None, 4], name="x")
    loss = kb.reduce_mean(kb.square(x))
    (g,) = kb.gradients(loss, [x])
    program = _program([g], [x], [(3, 4)])
    passes.fold_constants(program, get_device())
    assert not {"ones_like", "reduction_size"} & {n.op for n in program.nodes}


def test_dead_ops_are_removed(graph):
    x = kb.placeholder(kb.float32, [None, 4], name="x")
    y = kb.tanh(x)
    dead = kb.exp(x)
    program = extract([y, dead], [], [x])
    program.fetches = program.fetches[:1]
    passes.eliminate_dead(program)
    assert [n.op for n in program.nodes] == ["tanh"]


def test_bias_add_and_activation_fuse(graph):
    x = kb.placeholder(kb.float32, [None, 4], name="x")
    w = kb.Variable(np.ones((4, 3), np.float32))
    b = kb.Variable(np.ones(3, np.float32))
    from kerasish.backend.ops.math import bias_add, relu

    y = relu(bias_add(kb.matmul(x, w), b))
    fn = kb.compile([y], [x])
    fn(np.ones((2, 4), np.float32))
    assert "fused(bias_add+relu)" in fn.plan_text()


def test_optimised_plan_matches_unoptimised(graph):
    rng = np.random.default_rng(0)
    x = kb.placeholder(kb.float32, [None, 5], name="x")
    w1 = kb.Variable(rng.normal(size=(5, 8)).astype(np.float32))
    w2 = kb.Variable(rng.normal(size=(8, 2)).astype(np.float32))
    h = kb.tanh(kb.matmul(x, w1) * 2.0 + 1.0)
    out = kb.sigmoid(kb.matmul(h, w2))
    loss = kb.reduce_mean(kb.square(out - 0.5))
    grads = kb.gradients(loss, [w1, w2])
    feed = rng.normal(size=(7, 5)).astype(np.float32)
    fast = kb.compile([loss] + grads, [x])
    slow = kb.compile([loss] + grads, [x], optimize=False)
    for _ in range(2):  # the second run reuses the plan and its buffers
        for a, b in zip(fast(feed), slow(feed)):
            np.testing.assert_allclose(a, b, rtol=1e-6)


def test_buffers_are_reused_by_liveness(graph):
    x = kb.placeholder(kb.float32, [None, 16], name="x")
    y = x
    for _ in range(6):
        y = kb.matmul(kb.tanh(y), kb.Variable(np.eye(16, dtype=np.float32)))
    fn = kb.compile([y], [x])
    fn(np.ones((4, 16), np.float32))
    plan = next(iter(fn.plans.values()))
    assert plan.stats["buffers"] < plan.stats["buffered_values"]


def test_updates_run_after_every_read(graph):
    v = kb.Variable(np.float32(1.0))
    doubled = v * 2.0
    update = kb.assign_add(v, np.float32(10.0))
    with kb.Session() as sess:
        value, _ = sess.run([doubled, update])
        assert value == 2.0
        assert sess.run(v) == 11.0


def test_plan_is_cached_per_feed_shape(graph):
    x = kb.placeholder(kb.float32, [None, 2], name="x")
    fn = kb.compile([kb.reduce_sum(x)], [x])
    fn(np.ones((3, 2)))
    fn(np.ones((3, 2)))
    fn(np.ones((5, 2)))
    assert len(fn.plans) == 2


def test_eager_ops_run_kernels_at_once():
    out = kb.matmul(np.ones((2, 3), np.float32), np.ones((3, 4), np.float32))
    assert isinstance(out, np.ndarray) and out.shape == (2, 4) and out[0, 0] == 3
    with pytest.raises(kb.GraphError, match="inner dimensions"):
        kb.matmul(np.ones((2, 3)), np.ones((2, 3)))


def test_seeded_rng_is_reproducible():
    from kerasish.backend.ops.nn import dropout

    kb.set_random_seed(7)
    a = dropout(np.ones((4, 4), np.float32), rate=0.5)[0]
    kb.set_random_seed(7)
    b = dropout(np.ones((4, 4), np.float32), rate=0.5)[0]
    np.testing.assert_array_equal(a, b)
