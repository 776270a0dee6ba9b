"""Models and the training loop: Sequential, functional, subclassed; fit/evaluate/predict; errors."""
import numpy as np
import pytest

import kerasish as keras


@pytest.fixture(autouse=True)
def seed():
    keras.utils.set_random_seed(0)


def blobs(n=256, dim=8, classes=3):
    rng = np.random.default_rng(0)
    centers = rng.normal(scale=3, size=(classes, dim))
    y = rng.integers(0, classes, size=n)
    return (centers[y] + rng.normal(size=(n, dim))).astype("float32"), y


def mlp(dim=8, classes=3):
    return keras.Sequential([keras.Input(shape=(dim,)), keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(classes, activation="softmax")])


def test_sequential_fit_learns_and_reports_history():
    x, y = blobs()
    model = mlp()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=10, batch_size=32, validation_split=0.25, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, acc = model.evaluate(x, y, verbose=0)
    assert acc > 0.9
    assert model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] == pytest.approx(acc)


def test_eager_call_matches_predict():
    x, _ = blobs(10)
    model = mlp()
    np.testing.assert_allclose(model(x), model.predict(x, verbose=0), rtol=1e-6)


def test_functional_multi_input_multi_output_with_dicts():
    a = keras.Input(shape=(4,), name="a")
    b = keras.Input(shape=(3,), name="b")
    shared = keras.layers.Dense(5, activation="tanh", name="shared")
    h = keras.layers.Dense(6, name="mix")(keras.layers.Concatenate()([shared(a), keras.layers.Dense(5)(b)]))
    out1 = keras.layers.Dense(1, name="reg")(h)
    out2 = keras.layers.Dense(2, activation="softmax", name="cls")(h)
    model = keras.Model(inputs=[a, b], outputs=[out1, out2])
    rng = np.random.default_rng(1)
    xa, xb = rng.normal(size=(64, 4)).astype("float32"), rng.normal(size=(64, 3)).astype("float32")
    y1, y2 = xa.sum(1, keepdims=True), (xb[:, 0] > 0).astype("int64")
    model.compile(optimizer="adam", loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
                  loss_weights={"reg": 1.0, "cls": 0.5}, metrics={"cls": ["accuracy"]})
    history = model.fit({"a": xa, "b": xb}, {"reg": y1, "cls": y2}, epochs=3, batch_size=16, verbose=0)
    assert {"loss", "reg_loss", "cls_loss", "cls_accuracy"} <= set(history.history)
    preds = model.predict([xa, xb], verbose=0)
    assert [p.shape for p in preds] == [(64, 1), (64, 2)]
    assert model.get_layer("shared").output.shape == (None, 5)


def test_subclassed_model_trains():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(16, activation="relu")
            self.out = keras.layers.Dense(3)

        def call(self, inputs, training=False):
            return self.out(self.hidden(inputs))

    x, y = blobs()
    model = Net()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    first = model.train_on_batch(x, y)
    for _ in range(20):
        last = model.train_on_batch(x, y)
    assert last < first
    assert len(model.trainable_weights) == 4


def test_nested_and_frozen_models():
    features = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(6, activation="relu")], name="features")
    head = keras.Sequential([features, keras.layers.Dense(3, activation="softmax")])
    features.trainable = False
    frozen = [w.copy() for w in features.get_weights()]
    head.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x, y = blobs()
    head.fit(x, y, epochs=2, verbose=0)
    assert len(head.trainable_weights) == 2
    assert all(np.array_equal(a, b) for a, b in zip(frozen, features.get_weights()))


def test_generators_and_pydataset():
    x, y = blobs()

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 8

        def __getitem__(self, i):
            return x[i * 32:(i + 1) * 32], y[i * 32:(i + 1) * 32]

    def generate():
        while True:
            for i in range(8):
                yield x[i * 32:(i + 1) * 32], y[i * 32:(i + 1) * 32]

    for data, steps in ((Batches(), None), (generate(), 8)):
        model = mlp()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        history = model.fit(data, epochs=3, steps_per_epoch=steps, verbose=0)
        assert history.history["loss"][-1] < history.history["loss"][0]


def test_sample_and_class_weights_change_the_loss():
    x, y = blobs(64)
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    plain = model.evaluate(x, y, verbose=0)
    weighted = model.evaluate(x, y, sample_weight=(y == 0).astype("float32") * 2, verbose=0)
    assert weighted != pytest.approx(plain)
    model.fit(x, y, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, epochs=1, verbose=0)


def test_callbacks_early_stopping_restores_best():
    x, y = blobs()
    model = mlp()
    model.compile(optimizer=keras.optimizers.SGD(1e-9), loss="sparse_categorical_crossentropy")
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=1, min_delta=1.0, restore_best_weights=True)
    history = model.fit(x, y, epochs=10, callbacks=[stop], verbose=0)
    assert len(history.history["loss"]) == 2


def test_clear_errors():
    x, y = blobs(32)
    model = mlp()
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(x, y, verbose=0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="32.*31|31.*32"):
        model.fit(x, y[:31], verbose=0)
    with pytest.raises(ValueError, match=r"expected shape=\(None, 8\), found shape=\(None, 5\)"):
        model.predict(x[:, :5], verbose=0)
    with pytest.raises(ValueError, match="(?i)unknown loss 'not_a_loss'.*valid names"):
        model.compile(optimizer="adam", loss="not_a_loss")
    with pytest.raises(ValueError, match="unknown activation 'not_an_activation'; valid names"):
        keras.layers.Dense(3, activation="not_an_activation")
    with pytest.raises(ValueError, match="(?i)not_an_optimizer.*valid"):
        model.compile(optimizer="not_an_optimizer", loss="mse")


def test_layer_reports_incompatible_input_shape():
    layer = keras.layers.Dense(4, name="probe")
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"layer 'probe'.*axis -1.*value 3.*\(2, 5\)"):
        layer(np.ones((2, 5), "float32"))


def test_summary_counts_and_connections(capsys):
    a = keras.Input(shape=(4,), name="a")
    out = keras.layers.Dense(2, name="out")(keras.layers.Dense(3, name="hid")(a))
    model = keras.Model(a, out, name="small")
    model.summary()
    text = capsys.readouterr().out
    assert 'Model: "small"' in text and "hid[0][0]" in text and "Total params: 23" in text
    assert model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
