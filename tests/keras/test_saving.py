"""Saving and loading: Keras 3 `.weights.h5` / `.keras`, legacy `.h5`, configs, and Keras-written fixtures."""
import json
import os
import warnings
import zipfile

import h5py
import numpy as np
import pytest

import kerasish as keras
from kerasish.saving import saving_lib

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_reference", "models")
FIXTURE_MODELS = ["mnist_convnet", "two_input_model", "text_lstm"]


@pytest.fixture(autouse=True)
def seed():
    keras.utils.set_random_seed(0)


def fixture_path(name: str) -> str:
    return os.path.join(FIXTURES, name)


def mlp(name="mlp"):
    return keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(3, activation="softmax")], name=name)


def two_branch():
    """Functional model with two inputs, a shared layer and two outputs."""
    a, b = keras.Input(shape=(4,), name="a"), keras.Input(shape=(4,), name="b")
    shared = keras.layers.Dense(5, activation="tanh", name="shared")
    x = keras.layers.Concatenate(name="concat")([shared(a), shared(b)])
    out1 = keras.layers.Dense(2, activation="softmax", name="cls")(x)
    out2 = keras.layers.Dense(1, name="reg")(x)
    return keras.Model([a, b], [out1, out2], name="two_branch")


def data(n=16):
    rng = np.random.default_rng(1)
    return rng.normal(size=(n, 4)).astype("float32"), rng.integers(0, 3, size=n)


def predict(model, x):
    out = model.predict(x, verbose=0)
    return out if isinstance(out, list) else [out]


def assert_same_outputs(m1, m2, x):
    for a, b in zip(predict(m1, x), predict(m2, x)):
        np.testing.assert_array_equal(a, b)


def assert_same_weights(m1, m2):
    assert len(m1.weights) == len(m2.weights)
    for a, b in zip(m1.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)


# ---- round trips ----------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".weights.h5", ".h5"])
def test_sequential_weights_round_trip(tmp_path, suffix):
    x, _ = data()
    model, fresh = mlp(), mlp("other")
    path = tmp_path / f"w{suffix}"
    model.save_weights(path)
    fresh.load_weights(path)
    assert_same_weights(model, fresh)
    assert_same_outputs(model, fresh, x)


def test_weights_h5_uses_the_keras3_layout(tmp_path):
    model = two_branch()
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5") as h5:
        assert set(h5["layers"]) == {"input_layer", "input_layer_1", "dense", "dense_1", "dense_2", "concatenate"}
        assert h5["layers/dense/vars"].attrs["name"] == "shared"
        assert h5["layers/dense/vars/0"].shape == (4, 5)
        assert h5["vars"].attrs["name"] == "two_branch"


def test_legacy_weights_layout(tmp_path):
    model = mlp()
    model.save_weights(tmp_path / "w.h5")
    with h5py.File(tmp_path / "w.h5") as h5:
        assert list(h5.attrs["layer_names"]) == [layer.name for layer in model.layers]
        dense = model.layers[0]
        names = list(h5[dense.name].attrs["weight_names"])
        assert names == [w.path for w in dense.weights]
        np.testing.assert_array_equal(h5[dense.name][names[0]][()], dense.kernel.numpy())


@pytest.mark.parametrize("suffix", [".weights.h5", ".keras", ".h5"])
def test_functional_round_trip(tmp_path, suffix):
    x, _ = data()
    model = two_branch()
    path = tmp_path / f"m{suffix}"
    if suffix == ".weights.h5":
        model.save_weights(path)
        keras.utils.set_random_seed(5)
        loaded = two_branch()
        loaded.load_weights(path)
    else:
        model.save(path)
        loaded = keras.models.load_model(path)
        assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert_same_weights(model, loaded)
    assert_same_outputs(model, loaded, [x, x[::-1]])


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_saved_model_resumes_training(tmp_path, suffix):
    x, y = data(32)
    model = mlp()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / f"m{suffix}")
    loaded = keras.models.load_model(tmp_path / f"m{suffix}")
    assert loaded.compiled and type(loaded.optimizer) is keras.optimizers.Adam
    assert int(loaded.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy()) == 8
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    loaded.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_keras_zip_contents(tmp_path):
    model = mlp()
    model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        config = json.loads(archive.read("config.json"))
    assert (config["module"], config["class_name"]) == ("keras", "Sequential")
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    assert config["compile_config"]["loss"] == "mse"
    assert [layer["class_name"] for layer in config["config"]["layers"]] == ["InputLayer", "Dense", "Dense"]


def test_load_model_without_compile(tmp_path):
    model = mlp()
    model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "m.keras")
    assert not keras.models.load_model(tmp_path / "m.keras", compile=False).compiled


# ---- legacy weights options -----------------------------------------------------------------
def test_legacy_by_name_and_skip_mismatch(tmp_path):
    x, _ = data()
    source = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, name="hidden"),
                               keras.layers.Dense(3, name="head")])
    source.save_weights(tmp_path / "w.h5")
    target = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, name="hidden"),
                               keras.layers.Dense(6, name="head"), keras.layers.Dense(2, name="extra")])
    with pytest.raises(ValueError, match="head"):
        target.load_weights(tmp_path / "w.h5", by_name=True)
    with pytest.warns(UserWarning, match="head"):
        target.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    np.testing.assert_array_equal(target.get_layer("hidden").kernel.numpy(), source.get_layer("hidden").kernel.numpy())
    assert target.get_layer("head").kernel.shape == (8, 6)
    del x


def test_legacy_topological_loading_ignores_names(tmp_path):
    source = mlp()
    source.save_weights(tmp_path / "w.h5")
    renamed = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu", name="x1"),
                                keras.layers.Dense(3, activation="softmax", name="x2")])
    renamed.load_weights(tmp_path / "w.h5")
    assert_same_weights(source, renamed)


# ---- configs --------------------------------------------------------------------------------
def test_functional_config_matches_keras_form():
    config = two_branch().get_config()
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert config["output_layers"] == [["cls", 0, 0], ["reg", 0, 0]]
    shared = next(layer for layer in config["layers"] if layer["name"] == "shared")
    histories = [node["args"][0]["config"]["keras_history"] for node in shared["inbound_nodes"]]
    assert histories == [["a", 0, 0], ["b", 0, 0]]
    concat = next(layer for layer in config["layers"] if layer["name"] == "concat")
    assert [t["config"]["keras_history"] for t in concat["inbound_nodes"][0]["args"][0]] == [["shared", 0, 0],
                                                                                               ["shared", 1, 0]]


@pytest.mark.parametrize("make", [mlp, two_branch])
def test_get_config_from_config_and_json(make):
    model = make()
    rebuilt = type(model).from_config(model.get_config())
    from_json = keras.models.model_from_json(model.to_json())
    for other in (rebuilt, from_json):
        assert type(other) is type(model)
        assert [layer.name for layer in other.layers] == [layer.name for layer in model.layers]
        assert [w.shape for w in other.weights] == [w.shape for w in model.weights]
        assert other.get_config() == model.get_config()


def test_clone_model_has_same_architecture_and_new_weights():
    model = two_branch()
    clone = keras.models.clone_model(model)
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    assert all(a is not b for a, b in zip(clone.layers, model.layers))
    assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]


def test_register_custom_layer_round_trip(tmp_path):
    @keras.saving.register_keras_serializable(package="Test")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = keras.Sequential([keras.Input(shape=(4,)), Scale(3.0, name="scale"), keras.layers.Dense(2)])
    config = keras.saving.serialize_keras_object(model)
    assert config["config"]["layers"][1]["registered_name"] == "Test>Scale"
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.layers[0], Scale) and loaded.layers[0].factor == 3.0
    x, _ = data()
    assert_same_outputs(model, loaded, x)


def test_unknown_class_is_refused():
    config = mlp().get_config()
    config["layers"][1]["class_name"] = "NoSuchLayer"
    with pytest.raises(TypeError, match="NoSuchLayer"):
        keras.Sequential.from_config(config)


# ---- safe mode ------------------------------------------------------------------------------
def double(x):
    return x * 2.0


def test_safe_mode_refuses_lambda(tmp_path):
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(lambda x: x * 2.0), keras.layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.model_from_json(model.to_json())
    loaded = keras.models.load_model(tmp_path / "m.keras", safe_mode=False)
    x, _ = data()
    assert_same_outputs(model, loaded, x)


def test_named_function_lambda_needs_custom_objects(tmp_path):
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(double), keras.layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(TypeError, match="double"):
        keras.models.load_model(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras", custom_objects={"double": double})
    x, _ = data()
    assert_same_outputs(model, loaded, x)


# ---- atomic writes and errors ---------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".weights.h5", ".keras", ".h5"])
def test_failed_save_keeps_previous_file(tmp_path, monkeypatch, suffix):
    model = mlp()
    path = tmp_path / f"m{suffix}"
    (model.save_weights if suffix == ".weights.h5" else model.save)(path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(saving_lib, "write_state", fail)
    monkeypatch.setattr(keras.saving.legacy_h5, "write_weights_group", fail)
    model.layers[0].kernel.assign(np.zeros((4, 8), "float32"))
    with pytest.raises(RuntimeError, match="disk full"):
        (model.save_weights if suffix == ".weights.h5" else model.save)(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == [path.name]


def test_overwrite_false_refuses(tmp_path):
    model = mlp()
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(FileExistsError):
        model.save_weights(tmp_path / "w.weights.h5", overwrite=False)


def test_not_hdf5_and_truncated_files(tmp_path):
    model = mlp()
    (tmp_path / "text.weights.h5").write_text("not weights")
    with pytest.raises(ValueError, match="not an HDF5 file"):
        model.load_weights(tmp_path / "text.weights.h5")
    model.save_weights(tmp_path / "w.weights.h5")
    data_bytes = (tmp_path / "w.weights.h5").read_bytes()
    (tmp_path / "cut.weights.h5").write_bytes(data_bytes[: len(data_bytes) // 2])
    with pytest.raises(ValueError, match="damaged or truncated"):
        model.load_weights(tmp_path / "cut.weights.h5")
    with pytest.raises(FileNotFoundError):
        model.load_weights(tmp_path / "missing.weights.h5")
    (tmp_path / "bad.keras").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ValueError, match="not a valid `.keras` zip"):
        keras.models.load_model(tmp_path / "bad.keras")


def test_missing_layer_and_shape_mismatch_errors(tmp_path):
    model = mlp()
    model.save_weights(tmp_path / "w.weights.h5")
    model.save_weights(tmp_path / "w.h5")
    bigger = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8), keras.layers.Dense(3),
                               keras.layers.Dense(2, name="new_head")])
    with pytest.raises(ValueError, match="Layer 'new_head'.*expected 2 variables, but received 0"):
        bigger.load_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="Layer count mismatch"):
        bigger.load_weights(tmp_path / "w.h5")
    wide = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, name="d0"), keras.layers.Dense(7, name="d1")])
    before = wide.get_weights()
    message = r"Layer 'd1': shape mismatch for weight 'd1/kernel': the model expects shape \(8, 7\).*has shape \(8, 3\)"
    with pytest.raises(ValueError, match=message):
        wide.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(before, wide.get_weights()):  # nothing assigned on failure
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"d1.*d1/kernel.*\(8, 7\).*\(8, 3\)"):
        wide.load_weights(tmp_path / "w.h5")
    with pytest.warns(UserWarning, match="d1"):
        wide.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)
    np.testing.assert_array_equal(wide.get_layer("d0").kernel.numpy(), model.layers[0].kernel.numpy())


def test_unsupported_extensions(tmp_path):
    model = mlp()
    with pytest.raises(ValueError, match=".weights.h5"):
        model.save_weights(tmp_path / "w.bin")
    with pytest.raises(ValueError, match=".keras"):
        model.save(tmp_path / "m.bin")


# ---- files written by Keras 3 ---------------------------------------------------------------
def fixture_io(name):
    io = np.load(fixture_path(f"{name}_io.npz"))
    xs = [io[k] for k in sorted((k for k in io if k.startswith("x")), key=lambda k: int(k[1:]))]
    ys = [io[k] for k in sorted((k for k in io if k.startswith("y")), key=lambda k: int(k[1:]))]
    return (xs[0] if len(xs) == 1 else xs), ys


def from_json(name):
    with open(fixture_path(f"{name}.json")) as f:
        return keras.models.model_from_json(f.read())


def assert_matches_fixture(model, name):
    x, ys = fixture_io(name)
    outputs = predict(model, x)
    assert len(outputs) == len(ys)
    for out, y in zip(outputs, ys):
        np.testing.assert_allclose(out, y, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", FIXTURE_MODELS)
@pytest.mark.parametrize("kind", ["weights.h5", "legacy_weights.h5", "keras", "h5"])
def test_keras_fixture_loads(name, kind):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the fixtures' optimizers were never built
        if kind == "weights.h5":
            model = from_json(name)
            model.load_weights(fixture_path(f"{name}.weights.h5"))
        elif kind == "legacy_weights.h5":
            model = from_json(name)
            model.load_weights(fixture_path(f"{name}_legacy_weights.h5"))
        else:
            model = keras.models.load_model(fixture_path(f"{name}.{kind}"))
            assert model.compiled
    assert_matches_fixture(model, name)


@pytest.mark.parametrize("name", FIXTURE_MODELS)
def test_keras_fixture_architecture_and_weight_order(name):
    with open(fixture_path(f"{name}.json")) as f:
        reference = json.load(f)
    model = from_json(name)
    assert model.name == reference["config"]["name"]
    expected = [layer["config"]["name"] for layer in reference["config"]["layers"]]
    names = [layer.name for layer in model.layers]
    assert names == [n for n in expected if n in names]
    io = np.load(fixture_path(f"{name}_io.npz"))
    model.set_weights([io[f"w{k}"] for k in range(len(model.weights))])
    assert_matches_fixture(model, name)


@pytest.mark.parametrize("name", FIXTURE_MODELS)
def test_rewritten_fixture_has_keras_layout(tmp_path, name):
    """Our `.weights.h5` of a Keras model has the same groups and datasets as Keras' own file."""
    model = from_json(name)
    model.save_weights(tmp_path / "w.weights.h5")

    def layout(path):
        items = {}
        with h5py.File(path) as h5:
            h5["layers"].visititems(lambda key, obj: items.__setitem__(key, getattr(obj, "shape", None)))
        return items

    assert layout(tmp_path / "w.weights.h5") == layout(fixture_path(f"{name}.weights.h5"))


# ---- save_format ----------------------------------------------------------------------------
def test_save_format_h5_writes_legacy_files_under_any_name(tmp_path):
    model = mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x, _ = data()
    model.save(tmp_path / "model.ckpt", save_format="h5")
    model.save_weights(tmp_path / "weights.ckpt", save_format="h5")
    with h5py.File(tmp_path / "model.ckpt") as h5:
        assert "model_config" in h5.attrs and "model_weights" in h5
    with h5py.File(tmp_path / "weights.ckpt") as h5:
        assert [str(n) for n in h5.attrs["layer_names"]] == [layer.name for layer in model.layers]
    assert_same_outputs(model, keras.models.load_model(tmp_path / "model.ckpt"), x)
    other = mlp("other")
    other.load_weights(tmp_path / "weights.ckpt")
    assert_same_weights(model, other)


def test_save_format_keras_and_content_sniffing(tmp_path):
    model = mlp()
    x, _ = data()
    model.save(tmp_path / "model.bin", save_format="keras")
    assert zipfile.is_zipfile(tmp_path / "model.bin")
    assert_same_outputs(model, keras.models.load_model(tmp_path / "model.bin"), x)
    model.save_weights(tmp_path / "w.bin", save_format="keras")
    other = mlp("other")
    other.load_weights(tmp_path / "w.bin")
    assert_same_weights(model, other)


def test_unknown_save_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="save_format='tf'"):
        mlp().save(tmp_path / "m.keras", save_format="tf")
    assert not os.listdir(tmp_path)
