"""BackupAndRestore: an interrupted fit resumes on the trajectory of an uninterrupted one."""
import json
import os

import numpy as np
import pytest

import kerasish as keras


def make_model():
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    return x, x.sum(axis=1, keepdims=True)


class InterruptAt(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt("simulated crash")


def test_resumed_run_matches_uninterrupted_run(tmp_path):
    x, y = data()
    reference = make_model()
    reference_history = reference.fit(x, y, epochs=4, batch_size=16, shuffle=False, verbose=0).history["loss"]

    backup = tmp_path / "backup"
    model = make_model()
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=4, batch_size=16, shuffle=False, verbose=0,
                  callbacks=[keras.callbacks.BackupAndRestore(backup), InterruptAt(2)])
    assert json.loads((backup / "training_metadata.json").read_text()) == {"epoch": 2, "batch": 0}

    fresh = make_model()
    history = fresh.fit(x, y, epochs=4, batch_size=16, shuffle=False, verbose=0,
                        callbacks=[keras.callbacks.BackupAndRestore(backup)])
    assert history.epoch == [2, 3]
    np.testing.assert_allclose(history.history["loss"], reference_history[2:], rtol=1e-5)
    for a, b in zip(fresh.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not backup.exists()


def test_batch_frequency_and_kept_checkpoint(tmp_path):
    x, y = data()
    model = make_model()
    callback = keras.callbacks.BackupAndRestore(tmp_path, save_freq=3, delete_checkpoint=False, double_checkpoint=True)
    model.fit(x, y, epochs=2, batch_size=16, verbose=0, callbacks=[callback])
    assert sorted(os.listdir(tmp_path)) == ["latest.weights.h5", "latest.weights.h5.bkp", "training_metadata.json",
                                            "training_metadata.json.bkp"]
    assert json.loads((tmp_path / "training_metadata.json").read_text()) == {"epoch": 1, "batch": 1}


@pytest.mark.parametrize("kwargs", [dict(backup_dir=""), dict(backup_dir="x", save_freq="batch"),
                                    dict(backup_dir="x", save_freq=0)])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="BackupAndRestore"):
        keras.callbacks.BackupAndRestore(**kwargs)
