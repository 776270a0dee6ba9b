"""Non-recurrent layers against the Keras 3 reference fixtures: eager output, compiled-graph output,
gradients of sum(y * R) for inputs and weights, and BatchNormalization moving statistics after one call."""
import json
from pathlib import Path

import numpy as np
import pytest

import kerasish.backend as B
from kerasish import layers, ops
from kerasish.layers.layer import collect_updates

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "keras_reference" / "layers"
CLASSES = {"Dense", "Activation", "Dropout", "Flatten", "Conv1D", "Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling1D",
           "Reshape", "BatchNormalization", "Embedding", "Concatenate", "Add", "Multiply"}
CASES = [c for c in json.loads((FIXTURES / "manifest.json").read_text())["cases"] if c["layer"]["class_name"] in CLASSES]
RTOL, ATOL = 1e-5, 2e-6


def make_layer(case: dict, data) -> tuple:
    """The layer from its Keras config, built for the fixture inputs and loaded with the fixture weights."""
    layer = getattr(layers, case["layer"]["class_name"]).from_config(case["layer"]["config"])
    inputs = [data[spec["key"]] for spec in case["inputs"]]
    shapes = [tuple(x.shape) for x in inputs]
    layer.build(shapes if case["call"]["multi_input"] else shapes[0])
    layer.set_weights([data[w["key"]] for w in case["weights"]])
    return layer, inputs


def structure(case: dict, values: list):
    return values if case["call"]["multi_input"] else values[0]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_eager_matches_keras(case):
    data = np.load(FIXTURES / case["file"])
    layer, inputs = make_layer(case, data)
    assert [tuple(w.shape) for w in layer.weights] == [tuple(w["shape"]) for w in case["weights"]]
    assert [w.path for w in layer.weights] == [w["path"] for w in case["weights"]]
    y = layer(structure(case, inputs), training=case["call"]["training"])
    assert not isinstance(y, B.Tensor)
    np.testing.assert_allclose(y, data["y"], rtol=RTOL, atol=ATOL)
    for spec, variable in zip(case["weights"], layer.weights):
        if spec["after_key"]:
            np.testing.assert_allclose(variable.numpy(), data[spec["after_key"]], rtol=RTOL, atol=ATOL)
    if case["has_mask_out"]:
        np.testing.assert_array_equal(layer.compute_mask(inputs[0]), data["mask_out"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_graph_output_gradients_and_updates(case):
    data = np.load(FIXTURES / case["file"])
    layer, inputs = make_layer(case, data)
    float_inputs = [i for i, spec in enumerate(case["inputs"]) if spec.get("grad_key")]
    trainable = [(spec, w) for spec, w in zip(case["weights"], layer.weights) if spec["trainable"]]
    graph = B.Graph()
    with graph.as_default(), collect_updates() as updates:
        holders = [B.placeholder(x.dtype, (None,) + x.shape[1:]) for x in inputs]
        y = layer(structure(case, holders), training=case["call"]["training"])
        loss = ops.sum(ops.multiply(y, data["R"]))
        grads = B.gradients(loss, [holders[i] for i in float_inputs] + [w for _, w in trainable])
        run = B.compile([y] + grads, holders, targets=updates)
    y_value, *grad_values = run(*inputs)
    np.testing.assert_allclose(y_value, data["y"], rtol=RTOL, atol=ATOL)
    expected = [data[case["inputs"][i]["grad_key"]] for i in float_inputs] + [data[s["grad_key"]] for s, _ in trainable]
    for got, want in zip(grad_values, expected):
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=1e-5)
    assert len(updates) == sum(1 for s in case["weights"] if s["after_key"])
    for spec, variable in zip(case["weights"], layer.weights):
        want = data[spec["after_key"]] if spec["after_key"] else data[spec["key"]]
        np.testing.assert_allclose(variable.numpy(), want, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_config_round_trip(case):
    config = case["layer"]["config"]
    layer = getattr(layers, case["layer"]["class_name"]).from_config(config)
    ours = layer.get_config()
    for key, value in config.items():
        if key in ("dtype", "quantization_config", "renorm", "renorm_clipping", "renorm_momentum"):
            continue
        assert key in ours, f"get_config() lacks '{key}'"
        got = json.loads(json.dumps(ours[key]))
        if isinstance(value, dict):  # a serialised initializer: its own config is initializers.py's business
            got, value = got["class_name"], value["class_name"]
        assert got == value, f"{key}: {got!r} != Keras {value!r}"
    assert type(layer).from_config(ours).get_config() == ours
