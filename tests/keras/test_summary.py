"""model.summary() rendering against the Keras 3 reference texts (with fake models)."""
import os

import numpy as np
import pytest

from ._fake_models import FakeModel, FakeOptimizer
from kerasish.utils import print_summary
from kerasish.utils.summary_utils import readable_memory_size

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_reference", "models")


def row(name, class_name, shape, params, connected_to=None, trainable=True, nested=None):
    return dict(name=name, class_name=class_name, output_shape=shape, params=params, connected_to=connected_to,
                trainable=trainable, nested=nested)


def weights(*shapes):
    return [np.zeros(shape, "float32") for shape in shapes]


def mnist_convnet():
    rows = [row("conv2d", "Conv2D", (None, 26, 26, 32), 320),
            row("max_pooling2d", "MaxPooling2D", (None, 13, 13, 32), 0),
            row("conv2d_1", "Conv2D", (None, 11, 11, 64), 18496),
            row("max_pooling2d_1", "MaxPooling2D", (None, 5, 5, 64), 0),
            row("flatten", "Flatten", (None, 1600), 0),
            row("dropout", "Dropout", (None, 1600), 0),
            row("dense", "Dense", (None, 10), 16010)]
    return FakeModel("mnist_convnet", rows, weights((3, 3, 1, 32), 32, (3, 3, 32, 64), 64, (1600, 10), 10))


def text_lstm():
    rows = [row("embedding", "Embedding", (None, 12, 32), 32000), row("lstm", "LSTM", (None, 16), 3136),
            row("dense", "Dense", (None, 1), 17)]
    return FakeModel("text_lstm", rows, weights((1000, 32), (32, 64), (16, 64), 64, (16, 1), 1))


def two_input_model():
    rows = [row("image", "InputLayer", (None, 16, 16, 3), 0, []),
            row("img_conv", "Conv2D", (None, 14, 14, 8), 224, ["image[0][0]"]),
            row("img_pool", "MaxPooling2D", (None, 7, 7, 8), 0, ["img_conv[0][0]"]),
            row("img_gap", "GlobalAveragePooling2D", (None, 8), 0, ["img_pool[0][0]"]),
            row("vector", "InputLayer", (None, 5), 0, []),
            row("img_proj", "Dense", (None, 8), 72, ["img_gap[0][0]"]),
            row("vec_proj", "Dense", (None, 8), 48, ["vector[0][0]"]),
            row("shared_dense", "Dense", (None, 6), 54, ["img_proj[0][0]", "vec_proj[0][0]"]),
            row("concat", "Concatenate", (None, 12), 0, ["shared_dense[0][0]", "shared_dense[1][0]"]),
            row("bn", "BatchNormalization", (None, 12), 48, ["concat[0][0]"]),
            row("class_out", "Dense", (None, 3), 39, ["bn[0][0]"]),
            row("reg_out", "Dense", (None, 1), 13, ["bn[0][0]"])]
    trainable = weights((3, 3, 3, 8), 8, (8, 8), 8, (5, 8), 8, (8, 6), 6, 12, 12, (12, 3), 3, (12, 1), 1)
    return FakeModel("two_input_model", rows, trainable, weights(12, 12), functional=True)


def render(model, **kwargs):
    printed = []
    print_summary(model, print_fn=printed.append, **kwargs)
    assert len(printed) == 1
    return printed[0]


@pytest.fixture(autouse=True)
def terminal_80_columns(monkeypatch):
    """The reference texts were rendered for an 80-column console, as without a terminal."""
    monkeypatch.setenv("COLUMNS", "80")


@pytest.mark.parametrize("make_model", [mnist_convnet, text_lstm, two_input_model])
def test_matches_keras_reference_text(make_model):
    model = make_model()
    with open(os.path.join(FIXTURES, f"{model.name}_summary.txt"), encoding="utf-8") as handle:
        expected = handle.read()
    assert render(model) + "\n" == expected


def test_totals_and_size_units():
    text = render(two_input_model())
    assert " Total params: 498 (1.95 KB)" in text
    assert " Trainable params: 474 (1.85 KB)" in text
    assert " Non-trainable params: 24 (96.00 B)" in text
    assert "Optimizer params" not in text
    assert readable_memory_size(0) == "0.00 B"
    assert readable_memory_size(51240) == "50.04 KB"
    assert readable_memory_size(3 * 1024 ** 2) == "3.00 MB"
    assert readable_memory_size(5 * 1024 ** 3) == "5.00 GB"


def test_shared_weights_are_counted_once():
    model = text_lstm()
    model.trainable_weights.append(model.trainable_weights[0])
    assert " Total params: 35,153 (137.32 KB)" in render(model)


def test_optimizer_params_shown_once_built():
    model = mnist_convnet()
    model.optimizer = FakeOptimizer(variables=weights((), ()) + [np.zeros_like(w) for w in model.weights])
    text = render(model)
    assert " Optimizer params: 34,828 (136.05 KB)" in text
    assert " Total params: 69,654 (272.09 KB)" in text


def test_show_trainable_adds_column():
    model = text_lstm()
    model._rows[1]["trainable"] = False
    model._rows.append(row("flatten", "Flatten", (None, 1), 0))
    lines = render(model, show_trainable=True, line_length=200).splitlines()
    assert "Trainable" in lines[2]
    cells = {line.split()[1]: line.rstrip("│ ").split()[-1] for line in lines if line.startswith("│")}
    assert cells == {"embedding": "Y", "lstm": "N", "dense": "Y", "flatten": "-"}


def test_expand_nested_and_unbuilt_and_multiple_outputs():
    inner = FakeModel("inner", [row("dense_a", "Dense", (None, 4), 20), row("dense_b", "Dense", (None, 2), 10)])
    outer = FakeModel("outer", [row("inner", "Sequential", (None, 2), 30, nested=inner),
                                row("later", "Dense", None, 0) | {"built": False},
                                row("split", "Split", [(None, 1), (None, 1)], 0)])
    collapsed = render(outer, line_length=100)
    assert "dense_a" not in collapsed
    expanded = render(outer, line_length=100, expand_nested=True)
    assert "└ dense_a (Dense)" in expanded and "└ dense_b (Dense)" in expanded
    assert "0 (unbuilt)" in expanded and "│ ?" in expanded
    assert "[(None, 1), (None, 1)]" in expanded


def test_line_length_and_positions():
    lines = render(text_lstm(), line_length=60, positions=[0.5, 0.8, 1.0]).splitlines()
    assert len(lines[1]) == 60
    with pytest.raises(ValueError, match="Insufficient console width"):
        render(text_lstm(), line_length=10)


def test_prints_plain_text_when_stdout_is_not_a_terminal(capsys):
    print_summary(mnist_convnet())
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert out.startswith('Model: "mnist_convnet"\n┏')
    assert "│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │" in out


def test_markup_characters_in_names_are_kept():
    model = FakeModel("odd[name]", [row("layer[x]", "Dense", (None, 1), 2)], weights(2))
    text = render(model)
    assert 'Model: "odd[name]"' in text and "layer[x] (Dense)" in text
