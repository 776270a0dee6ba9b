"""Callbacks driven through CallbackList the way the trainer calls them (fake model)."""
import csv
import math
import re

import numpy as np
import pytest

from kerasish import callbacks
from ._fake_models import FakeModel, SavingModel


def fit(model, cbs, epoch_logs, steps=2, verbose=0, validation=False):
    """Runs the trainer's hook sequence: one entry of `epoch_logs` per epoch, stopping on `stop_training`."""
    cb_list = callbacks.CallbackList(cbs, add_history=True, add_progbar=verbose != 0, model=model,
                                     verbose=verbose, epochs=len(epoch_logs), steps=steps)
    model.stop_training = False
    cb_list.on_train_begin()
    for epoch, logs in enumerate(epoch_logs):
        cb_list.on_epoch_begin(epoch)
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        for batch in range(steps):
            cb_list.on_train_batch_begin(batch)
            cb_list.on_train_batch_end(batch, dict(train_logs))
        if validation:
            cb_list.on_test_begin()
            cb_list.on_test_batch_begin(0)
            cb_list.on_test_batch_end(0, {"loss": 9.0})
            cb_list.on_test_end({"loss": 9.0})
        epoch_end_logs = dict(logs)
        cb_list.on_epoch_end(epoch, epoch_end_logs)
        if model.stop_training:
            break
    cb_list.on_train_end()
    return model.history


def weighted_model():
    return FakeModel(trainable=[np.zeros(3, "float32")])


class Recorder(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        attribute = super().__getattribute__(name)
        if name.startswith("on_") and callable(attribute):
            calls = super().__getattribute__("calls")
            return lambda *args, **kwargs: (calls.append(name), attribute(*args, **kwargs))[1]
        return attribute


def test_callback_list_calls_every_hook_and_sets_model_and_params():
    model, recorder = FakeModel(), Recorder()
    history = fit(model, [recorder], [{"loss": 1.0}], steps=1, validation=True)
    assert recorder.model is model and recorder.params == {"verbose": 0, "epochs": 1, "steps": 1}
    assert recorder.calls == ["on_train_begin", "on_epoch_begin", "on_train_batch_begin", "on_batch_begin",
                              "on_train_batch_end", "on_batch_end", "on_test_begin", "on_test_batch_begin",
                              "on_test_batch_end", "on_test_end", "on_epoch_end", "on_train_end"]
    assert isinstance(history, callbacks.History) and history.history == {"loss": [1.0]}


def test_predict_hooks_reach_callbacks():
    recorder = Recorder()
    cb_list = callbacks.CallbackList([recorder], model=FakeModel())
    cb_list.on_predict_begin()
    cb_list.on_predict_batch_begin(0)
    cb_list.on_predict_batch_end(0, {"outputs": np.zeros(2)})
    cb_list.on_predict_end()
    assert recorder.calls == ["on_predict_begin", "on_predict_batch_begin", "on_predict_batch_end",
                              "on_predict_end"]


def test_history_records_epochs_and_is_reused():
    history = callbacks.History()
    result = fit(FakeModel(), [history], [{"loss": 1.0, "accuracy": 0.5}, {"loss": 0.5, "accuracy": 0.7}])
    assert result is history
    assert history.epoch == [0, 1]
    assert history.history == {"loss": [1.0, 0.5], "accuracy": [0.5, 0.7]}


def test_progbar_logger_prints_epochs_and_final_lines(capsys):
    fit(FakeModel(), [], [{"accuracy": 0.9, "loss": 0.3}, {"accuracy": 0.95, "loss": 0.2}], steps=3, verbose=1,
        validation=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    assert re.match(r"^3/3 - \d+s - \d+(us|ms|s)/step - accuracy: 0\.9000 - loss: 0\.3000$", lines[1])
    assert lines[3].endswith("accuracy: 0.9500 - loss: 0.2000")


def test_progbar_logger_single_epoch_and_evaluate(capsys):
    fit(FakeModel(), [], [{"loss": 0.3}], steps=2, verbose=2)
    assert re.match(r"^2/2 - \d+s - .*loss: 0\.3000\n$", capsys.readouterr().out)
    logger = callbacks.ProgbarLogger()
    logger.set_params({"verbose": 1, "epochs": 1, "steps": None})
    logger.on_test_begin()
    for batch in range(4):
        logger.on_test_batch_end(batch, {"loss": 1.0})
    logger.on_test_end({"loss": 0.5})
    assert re.match(r"^4/4 - .*loss: 0\.5000\n$", capsys.readouterr().out)


def test_early_stopping_patience_and_restore_best_weights(capsys):
    model = weighted_model()
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True, verbose=1)

    class Step(callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.model.trainable_weights[0][...] = epoch

    losses = [1.0, 0.5, 0.6, 0.7, 0.4]
    history = fit(model, [Step(), stopper], [{"loss": 1.0, "val_loss": v} for v in losses])
    assert history.epoch == [0, 1, 2, 3]
    assert stopper.stopped_epoch == 3 and stopper.best == 0.5 and stopper.best_epoch == 1
    np.testing.assert_array_equal(model.trainable_weights[0], [1, 1, 1])
    out = capsys.readouterr().out
    assert "Epoch 4: early stopping" in out and "best epoch: 2." in out


def test_early_stopping_min_delta_mode_baseline_and_warmup():
    accuracy = [{"accuracy": a} for a in (0.5, 0.505, 0.509, 0.9)]
    stopper = callbacks.EarlyStopping(monitor="accuracy", min_delta=0.01, patience=1)
    assert fit(FakeModel(), [stopper], accuracy).epoch == [0, 1]
    baseline = callbacks.EarlyStopping(monitor="loss", patience=2, baseline=0.1)
    losses = [{"loss": v} for v in (0.5, 0.4, 0.45, 0.45, 0.3)]
    assert fit(FakeModel(), [baseline], losses).epoch == [0, 1, 2]
    assert fit(FakeModel(), [callbacks.EarlyStopping(monitor="loss", patience=2)], losses).epoch == [0, 1, 2, 3]
    warmup = callbacks.EarlyStopping(monitor="loss", patience=0, start_from_epoch=2)
    assert fit(FakeModel(), [warmup], [{"loss": v} for v in (0.5, 0.6, 0.7, 0.8)]).epoch == [0, 1, 2, 3]
    custom = callbacks.EarlyStopping(monitor="score", mode="max", patience=0)
    assert fit(FakeModel(), [custom], [{"score": v} for v in (1.0, 2.0, 1.5, 3.0)]).epoch == [0, 1, 2]


def test_early_stopping_unknown_direction_and_missing_metric():
    with pytest.raises(ValueError, match="mode='max'"):
        fit(FakeModel(), [callbacks.EarlyStopping(monitor="score")], [{"score": 1.0}])
    with pytest.warns(UserWarning, match="not available"):
        fit(FakeModel(), [callbacks.EarlyStopping()], [{"loss": 1.0}])


def test_monitor_direction_from_model_metrics():
    class Metric:
        name, _direction = "score", "up"

    model = FakeModel()
    model.metrics = [Metric()]
    stopper = callbacks.EarlyStopping(monitor="val_score", patience=0)
    assert fit(model, [stopper], [{"val_score": v} for v in (1.0, 2.0, 1.0)]).epoch == [0, 1, 2]
    assert stopper.stopped_epoch == 2


def test_model_checkpoint_formats_path_and_saves_weights(tmp_path):
    model = SavingModel()
    path = str(tmp_path / "ckpt" / "w-{epoch:02d}-{val_loss:.2f}.weights.h5")
    checkpoint = callbacks.ModelCheckpoint(path, save_weights_only=True)
    fit(model, [checkpoint], [{"loss": 1.0, "val_loss": 0.51234}, {"loss": 1.0, "val_loss": 0.25}])
    assert [m for m, _ in model.saved] == ["save_weights", "save_weights"]
    assert sorted(p.name for p in (tmp_path / "ckpt").iterdir()) == ["w-01-0.51.weights.h5", "w-02-0.25.weights.h5"]


def test_model_checkpoint_save_best_only(tmp_path, capsys):
    model = SavingModel()
    checkpoint = callbacks.ModelCheckpoint(str(tmp_path / "best.keras"), monitor="val_accuracy",
                                           save_best_only=True, verbose=1)
    fit(model, [checkpoint], [{"val_accuracy": v} for v in (0.5, 0.4, 0.7)])
    assert [(m, p.endswith("best.keras")) for m, p in model.saved] == [("save", True), ("save", True)]
    assert checkpoint.best == 0.7
    out = capsys.readouterr().out
    assert "val_accuracy improved from None to 0.50000" in out and "did not improve from 0.50000" in out


def test_model_checkpoint_save_freq_in_batches(tmp_path):
    model = SavingModel()
    checkpoint = callbacks.ModelCheckpoint(str(tmp_path / "m-{epoch}-{batch}.keras"), save_freq=3)
    fit(model, [checkpoint], [{"loss": 1.0}, {"loss": 0.5}], steps=2)
    assert [p.rsplit("/", 1)[-1] for _, p in model.saved] == ["m-2-1.keras"]


def test_model_checkpoint_errors(tmp_path):
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        callbacks.ModelCheckpoint(str(tmp_path / "w.h5"), save_weights_only=True)
    with pytest.raises(ValueError, match=r"\.keras"):
        callbacks.ModelCheckpoint(str(tmp_path / "model.bin"))
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.ModelCheckpoint(str(tmp_path / "m.keras"), save_freq="batch")
    with pytest.raises(NotImplementedError, match=r"model\.save\(filepath\).*whole-model saving"):
        fit(FakeModel(), [callbacks.ModelCheckpoint(str(tmp_path / "m.keras"), monitor="loss")], [{"loss": 1.0}])
    with pytest.raises(KeyError, match="Failed to format"):
        fit(SavingModel(), [callbacks.ModelCheckpoint(str(tmp_path / "{acc}.keras"))], [{"loss": 1.0}])


def test_learning_rate_scheduler():
    model = FakeModel()
    scheduler = callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr)
    history = fit(model, [scheduler], [{"loss": 1.0}] * 3)
    assert model.optimizer.learning_rate == pytest.approx(0.0025)
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.005, 0.0025])
    legacy = callbacks.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))
    fit(model, [legacy], [{"loss": 1.0}] * 2)
    assert model.optimizer.learning_rate == pytest.approx(0.05)
    with pytest.raises(ValueError, match="should be a float"):
        fit(model, [callbacks.LearningRateScheduler(lambda epoch, lr: "fast")], [{"loss": 1.0}])


def test_reduce_lr_on_plateau_patience_cooldown_and_min_lr(capsys):
    model = FakeModel()
    reducer = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, cooldown=2, min_lr=0.003,
                                          verbose=1)
    learning_rates = []

    class Spy(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            learning_rates.append(self.model.optimizer.learning_rate)

    fit(model, [reducer, Spy()], [{"loss": v} for v in (1.0, 1.0, 1.0, 1.0, 1.0, 1.0)])
    assert learning_rates == pytest.approx([0.01, 0.005, 0.005, 0.003, 0.003, 0.003])
    assert "ReduceLROnPlateau reducing learning rate to 0.005" in capsys.readouterr().out
    with pytest.raises(ValueError, match="factor >= 1.0"):
        callbacks.ReduceLROnPlateau(factor=1.0)


def test_reduce_lr_on_plateau_min_delta():
    model = FakeModel()
    reducer = callbacks.ReduceLROnPlateau(monitor="val_loss", patience=2, min_delta=0.1)
    fit(model, [reducer], [{"val_loss": v} for v in (1.0, 0.95, 0.92, 0.5)])
    assert model.optimizer.learning_rate == pytest.approx(0.001)


def test_csv_logger_writes_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    fit(FakeModel(), [callbacks.CSVLogger(path)], [{"loss": 0.5, "accuracy": 0.75}, {"loss": 0.25, "accuracy": 0.8}])
    fit(FakeModel(), [callbacks.CSVLogger(path, append=True)], [{"loss": 0.125, "accuracy": 0.9}])
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert rows[1:] == [["0", "0.75", "0.5", "NA", "NA"], ["1", "0.8", "0.25", "NA", "NA"],
                        ["0", "0.9", "0.125", "NA", "NA"]]
    semicolons = tmp_path / "semi.csv"
    fit(FakeModel(), [callbacks.CSVLogger(semicolons, separator=";")], [{"loss": 1.0, "val_loss": 2.0}])
    assert semicolons.read_text() == "epoch;loss;val_loss\n0;1.0;2.0\n"


def test_lambda_callback():
    seen = []
    cb = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append((epoch, logs["loss"])),
                                  on_train_end=lambda logs: seen.append("end"),
                                  on_test_begin=lambda logs: seen.append("test"))
    fit(FakeModel(), [cb], [{"loss": 1.0}, {"loss": 0.5}], validation=True)
    assert seen == ["test", (0, 1.0), "test", (1, 0.5), "end"]
    with pytest.raises(ValueError, match="unknown hook"):
        callbacks.LambdaCallback(on_nothing=print)


def test_terminate_on_nan(capsys):
    history = fit(FakeModel(), [callbacks.TerminateOnNaN()], [{"loss": 1.0}, {"loss": math.nan}, {"loss": 0.1}])
    assert history.epoch == [0, 1]
    assert "Batch 0: Invalid loss, terminating training" in capsys.readouterr().out
    assert fit(FakeModel(), [callbacks.TerminateOnNaN()], [{"loss": math.inf}, {"loss": 1.0}]).epoch == [0]
