"""Recurrent layers (LSTM, GRU, SimpleRNN, Bidirectional, TimeDistributed) against Keras 3 fixtures."""
import json
from pathlib import Path

import numpy as np
import pytest

import kerasish as keras
from kerasish import backend
from kerasish.layers.layer import collect_updates
from kerasish.layers.rnn._sublayers import deserialize_layer

LAYERS = Path(__file__).resolve().parents[1] / "fixtures" / "keras_reference" / "layers"
CASES = {c["name"]: c for c in json.loads((LAYERS / "manifest.json").read_text())["cases"]}
LAYER_CASES = sorted(n for n in CASES if n.split("_")[0] in ("lstm", "gru", "simplernn", "bidirectional"))
SEQUENTIAL_CASES = sorted(n for n in CASES if n.startswith("embedding_mask_lstm"))
TOL = dict(rtol=1e-5, atol=1e-6)


def _without_initializers(config):
    """A Keras config without its initializer entries (the fixtures set every weight anyway)."""
    if isinstance(config, dict):
        return {k: _without_initializers(v) for k, v in config.items() if not k.endswith("_initializer")}
    return config


def _fixture(name):
    case = CASES[name]
    return case, np.load(LAYERS / case["file"])


def _weights(case, data):
    return [data[f"w{k}"] for k in range(len(case["weights"]))]


def _layer(name):
    """The fixture's layer, built from its Keras config, with the fixture's weights."""
    case, data = _fixture(name)
    layer = deserialize_layer(_without_initializers(case["layer"]))
    layer(data["x0"], **({"mask": data["mask"]} if "mask" in data else {}))
    layer.set_weights(_weights(case, data))
    return layer, case, data


def _graph_run(layer, data, float_input=True):
    """Output and gradients of sum(y * R) w.r.t. the input and the weights, in a compiled graph."""
    x = data["x0"]
    graph = backend.Graph()
    with graph.as_default():
        x_in = backend.placeholder(x.dtype, (None,) + x.shape[1:])
        feeds, values = [x_in], [x]
        kwargs = {}
        if "mask" in data:
            kwargs["mask"] = backend.placeholder("bool", (None, x.shape[1]))
            feeds.append(kwargs["mask"])
            values.append(data["mask"])
        y = layer(x_in, **kwargs)
        loss = backend.reduce_sum(backend.multiply(y, data["R"]))
        wrt = ([x_in] if float_input else []) + layer.trainable_weights
        grads = backend.gradients(loss, wrt)
        fn = backend.compile([y] + grads, feeds)
    return fn(*values)


@pytest.mark.parametrize("name", LAYER_CASES)
def test_weights_match_keras_paths_and_order(name):
    layer, case, _ = _layer(name)
    assert [w.path for w in layer.weights] == [w["path"] for w in case["weights"]]
    assert [tuple(w.shape) for w in layer.weights] == [tuple(w["shape"]) for w in case["weights"]]


@pytest.mark.parametrize("name", LAYER_CASES)
def test_eager_output_matches_keras(name):
    layer, _, data = _layer(name)
    y = layer(data["x0"], **({"mask": data["mask"]} if "mask" in data else {}))
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, data["y"], **TOL)
    if "mask_out" in data:
        np.testing.assert_array_equal(np.asarray(layer.compute_mask(data["x0"], data["mask"])), data["mask_out"])


@pytest.mark.parametrize("name", LAYER_CASES)
def test_graph_output_and_gradients_match_keras(name):
    layer, case, data = _layer(name)
    y, gx, *gw = _graph_run(layer, data)
    np.testing.assert_allclose(y, data["y"], **TOL)
    np.testing.assert_allclose(gx, data["gx0"], **TOL)
    for k, g in enumerate(gw):
        np.testing.assert_allclose(g, data[f"gw{k}"], **TOL, err_msg=case["weights"][k]["path"])


def _embedding_lstm(name):
    case, data = _fixture(name)
    lstm_config = _without_initializers(case["layer"]["layers"][1]["config"])
    model = keras.Sequential(name=case["layer"]["config"]["name"], layers=[keras.Input(shape=data["x0"].shape[1:], dtype="int32"),
                              keras.layers.Embedding(10, 3, mask_zero=True, name="emb"),
                              keras.layers.LSTM.from_config(lstm_config)])
    model.set_weights(_weights(case, data))
    return model, case, data


@pytest.mark.parametrize("name", SEQUENTIAL_CASES)
def test_embedding_mask_lstm_matches_keras(name):
    model, case, data = _embedding_lstm(name)
    assert all(w["path"] == f"{model.name}/{ours.path}" for w, ours in zip(case["weights"], model.weights))
    np.testing.assert_allclose(model(data["x0"]), data["y"], **TOL)
    y, *gw = _graph_run(model, data, float_input=False)
    np.testing.assert_allclose(y, data["y"], **TOL)
    for k, g in enumerate(gw):
        np.testing.assert_allclose(g, data[f"gw{k}"], **TOL, err_msg=case["weights"][k]["path"])


# ---- semantics beyond the fixtures -----------------------------------------------------------
RECURRENT = [keras.layers.LSTM, keras.layers.GRU, keras.layers.SimpleRNN]


def _sequences(batch=3, time=6, features=3, seed=0):
    return np.random.default_rng(seed).normal(size=(batch, time, features)).astype(np.float32)


@pytest.mark.parametrize("cls", RECURRENT)
def test_pre_and_post_padding_give_the_same_last_output(cls):
    layer = cls(5)
    x = _sequences(time=4)
    pad = np.zeros((3, 2, 3), np.float32)
    valid = np.ones((3, 4), bool)
    post = layer(np.concatenate([x, pad], 1), mask=np.concatenate([valid, ~valid[:, :2]], 1))
    pre = layer(np.concatenate([pad, x], 1), mask=np.concatenate([~valid[:, :2], valid], 1))
    np.testing.assert_allclose(post, layer(x), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(pre, layer(x), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("cls,n_states", [(keras.layers.LSTM, 2), (keras.layers.GRU, 1), (keras.layers.SimpleRNN, 1)])
def test_return_state_shapes_and_initial_state_continues_the_sequence(cls, n_states):
    layer = cls(5, return_sequences=True, return_state=True)
    x = _sequences()
    out = layer(x)
    assert [o.shape for o in out] == [(3, 6, 5)] + [(3, 5)] * n_states
    assert layer.compute_output_shape((None, 6, 3)) == [(None, 6, 5)] + [(None, 5)] * n_states
    first = layer(x[:, :3])
    second = layer(x[:, 3:], initial_state=first[1:])
    np.testing.assert_allclose(second[0], out[0][:, 3:], rtol=1e-5, atol=1e-6)
    for a, b in zip(second[1:], out[1:]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_bidirectional_return_state_and_merge_modes():
    x = _sequences()
    layer = keras.layers.Bidirectional(keras.layers.LSTM(4, return_state=True))
    out = layer(x)
    assert [o.shape for o in out] == [(3, 8)] + [(3, 4)] * 4
    base = keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True), merge_mode=None)
    forward, backward = base(x)
    for mode, expected in [("sum", forward + backward), ("mul", forward * backward), ("ave", (forward + backward) / 2),
                           ("concat", np.concatenate([forward, backward], -1))]:
        merged = keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True), merge_mode=mode)
        merged(x)
        merged.set_weights(base.get_weights())
        np.testing.assert_allclose(merged(x), expected, rtol=1e-6, atol=1e-6)
    assert [w.path for w in base.weights][:1] == [f"{base.name}/forward_{base.forward_layer.name[8:]}/gru_cell/kernel"]


def test_compute_mask_follows_return_sequences():
    mask = np.ones((3, 6), bool)
    x = _sequences()
    assert keras.layers.LSTM(2).compute_mask(x, mask) is None
    assert keras.layers.LSTM(2, return_sequences=True).compute_mask(x, mask) is mask
    assert keras.layers.GRU(2, return_sequences=True, return_state=True).compute_mask(x, mask) == [mask, None]


def test_unit_forget_bias_and_config_round_trip():
    layer = keras.layers.LSTM(3, return_sequences=True, dropout=0.1)
    layer(_sequences())
    np.testing.assert_array_equal(layer.cell.bias.numpy(), np.r_[np.zeros(3), np.ones(3), np.zeros(6)])
    config = layer.get_config()
    assert config["units"] == 3 and config["unit_forget_bias"] and config["recurrent_activation"] == "sigmoid"
    assert keras.layers.LSTM.from_config(config).get_config() == config
    bi = keras.layers.Bidirectional(keras.layers.SimpleRNN(2), merge_mode="sum")
    assert keras.layers.Bidirectional.from_config(bi.get_config()).get_config() == bi.get_config()


@pytest.mark.parametrize("make", [
    lambda: keras.layers.LSTMCell(4),
    lambda: keras.layers.GRUCell(4),
    lambda: keras.layers.SimpleRNNCell(4, activation="relu"),
])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_step_path_matches_fused_op(make, go_backwards):
    """The step-by-step path (used for recurrent dropout and other activations) equals the fused op,
    outputs and gradients, with a mask."""
    cell = make()
    layer = keras.layers.RNN(cell, return_sequences=True, go_backwards=go_backwards)
    x = _sequences()
    mask = np.ones((3, 6), bool)
    mask[0, 4:] = mask[1, :2] = False
    layer(x)
    graph = backend.Graph()
    with graph.as_default():
        x_in = backend.placeholder("float32", (None, 6, 3))
        mask_in = backend.placeholder("bool", (None, 6))
        m = backend.cast(mask_in, "float32")
        states = layer._initial_states(x_in, None)
        results = []
        for hs, final in (cell.fused(x_in, states, m, go_backwards), cell._unrolled(x_in, states, m, go_backwards, None)):
            loss = backend.reduce_sum(backend.multiply(hs, _sequences(time=6, features=4, seed=1)))
            results.append([hs] + final + backend.gradients(loss, [x_in] + cell.trainable_weights))
        fn = backend.compile(results[0] + results[1], [x_in, mask_in])
    values = fn(x, mask)
    half = len(values) // 2
    for a, b in zip(values[:half], values[half:]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_gru_reset_before_matches_numpy():
    layer = keras.layers.GRU(4, reset_after=False, return_sequences=True)
    x = _sequences()
    hs = layer(x)
    k, u, b = (w.numpy() for w in layer.weights)
    assert b.shape == (12,)
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    h = np.zeros((3, 4), np.float32)
    for t in range(6):
        xz, xr, xh = np.split(x[:, t] @ k + b, 3, -1)
        z, r = sig(xz + h @ u[:, :4]), sig(xr + h @ u[:, 4:8])
        h = z * h + (1 - z) * np.tanh(xh + (r * h) @ u[:, 8:])
        np.testing.assert_allclose(hs[:, t], h, rtol=1e-5, atol=1e-6)


def test_dropout_in_training_only():
    x = _sequences()
    for kwargs in ({"dropout": 0.5}, {"recurrent_dropout": 0.5}):
        layer = keras.layers.LSTM(4, **kwargs)
        inference = layer(x)
        np.testing.assert_array_equal(layer(x, training=False), inference)
        assert not np.allclose(layer(x, training=True), inference)


def test_input_dropout_mask_is_shared_across_time():
    """With a zero recurrent kernel each step sees only its own (dropped) input: a feature dropped at
    one step is dropped at every step."""
    layer = keras.layers.SimpleRNN(3, activation="relu", use_bias=False, dropout=0.5, return_sequences=True)
    x = np.ones((64, 5, 3), np.float32)
    layer(x)
    layer.set_weights([np.eye(3, dtype=np.float32), np.zeros((3, 3), np.float32)])
    hs = layer(x, training=True)
    assert np.all(hs == hs[:, :1]) and 0 < np.mean(hs == 0) < 1


def test_stateful_keeps_states_eagerly_and_in_graphs():
    x = _sequences()
    plain = keras.layers.GRU(4)
    full = plain(x)
    layer = keras.layers.GRU(4, stateful=True)
    layer(x[:, :3])
    layer.set_weights([np.zeros((3, 4), np.float32)] + plain.get_weights())
    layer(x[:, :3])
    np.testing.assert_allclose(layer(x[:, 3:]), full, rtol=1e-5, atol=1e-6)
    layer.reset_states()
    assert not np.any(layer.states[0].numpy())
    graph = backend.Graph()
    with graph.as_default(), collect_updates() as updates:
        x_in = backend.placeholder("float32", (3, 3, 3))
        y = layer(x_in)
        fn = backend.compile([y], [x_in], updates)
    assert len(updates) == 1
    fn(x[:, :3])
    np.testing.assert_allclose(fn(x[:, 3:])[0], full, rtol=1e-5, atol=1e-6)


def test_stateful_needs_a_batch_size():
    with pytest.raises(ValueError, match="fixed batch size"):
        keras.layers.LSTM(2, stateful=True).build((None, 4, 3))


def test_time_distributed_dense_and_mask():
    dense = keras.layers.Dense(5, activation="relu")
    layer = keras.layers.TimeDistributed(dense)
    x = _sequences()
    y = layer(x)
    kernel, bias = dense.get_weights()
    np.testing.assert_allclose(y, np.maximum(x @ kernel + bias, 0), rtol=1e-5, atol=1e-6)
    assert [w.path for w in layer.weights] == [f"{layer.name}/{dense.name}/kernel", f"{layer.name}/{dense.name}/bias"]
    mask = np.ones((3, 6), bool)
    assert layer.compute_mask(x, mask) is mask
    graph = backend.Graph()
    with graph.as_default():
        x_in = backend.placeholder("float32", (None, 6, 3))
        out = layer(x_in)
        assert tuple(out.shape) == (None, 6, 5)
        np.testing.assert_allclose(backend.compile([out], [x_in])(x)[0], y, rtol=1e-6)


def test_sequential_embedding_lstm_dense_trains():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 10, size=(64, 7)).astype(np.int32)
    x[np.arange(64) % 3 == 0, :3] = 0
    y = (x.sum(1, keepdims=True) > 35).astype(np.float32)
    model = keras.Sequential([keras.Input(shape=(7,), dtype="int32"), keras.layers.Embedding(10, 4, mask_zero=True),
                              keras.layers.LSTM(8), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
