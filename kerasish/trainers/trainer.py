"""compile / fit / evaluate / predict on compiled backend plans.

The train step, the test step and predict are each traced once per input signature
into a backend graph (forward, loss, gradients, optimizer updates) and compiled into a
Function whose plans are reused for every batch. Metrics run on the host on the fetched
predictions.
"""
from __future__ import annotations

import numpy as np

from kerasish import backend
from kerasish.layers.layer import collect_updates, flatten, map_structure

from .compile_utils import CompiledLoss, CompiledMetrics, loss_object
from .data_adapter import make_batches, split_validation, unpack


class _Mean:
    """Running mean weighted by batch size (how Keras averages the loss over an epoch)."""

    def __init__(self):
        self.total = self.count = 0.0

    def update(self, value: float, weight: float) -> None:
        self.total += float(value) * weight
        self.count += weight

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0


class Trainer:
    """The training API mixed into Model."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.stop_training = False
        self.history = None
        self._initial_epoch = None
        self._functions: dict = {}
        self._compiled_loss = None
        self._compiled_metrics = None

    # ---- compile ------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly: bool = False, steps_per_execution: int = 1, jit_compile="auto", auto_scale_loss: bool = True) -> None:
        from kerasish import optimizers

        self.optimizer = optimizers.get(optimizer)
        for item in (loss.values() if isinstance(loss, dict) else loss if isinstance(loss, (list, tuple)) else [loss]):
            loss_object(item)  # unknown names fail here, listing the valid ones
        self._compile_config = {"loss": loss, "loss_weights": loss_weights, "metrics": metrics, "weighted_metrics": weighted_metrics}
        self._compiled_loss = self._compiled_metrics = None
        self._functions.clear()
        self.compiled = True

    @property
    def loss(self):
        return self._compile_config["loss"] if self.compiled else None

    def _output_names(self, y_pred) -> list:
        flat = flatten(y_pred)
        names = getattr(self, "output_names", None)
        if names and len(names) == len(flat):
            return list(names)
        return [f"output_{i}" for i in range(len(flat))] if len(flat) > 1 else ["output"]

    def _ensure_compiled_losses(self, y_pred) -> None:
        if self._compiled_loss is not None:
            return
        names = self._output_names(y_pred)
        cfg = self._compile_config
        self._compiled_loss = CompiledLoss(cfg["loss"], cfg["loss_weights"], names)
        shapes = [tuple(t.shape) for t in flatten(y_pred)]
        self._compiled_metrics = CompiledMetrics(cfg["metrics"], cfg["weighted_metrics"], self._compiled_loss.losses, shapes, names)

    @property
    def metrics_names(self) -> list:
        extra = self._compiled_metrics.metrics if self._compiled_metrics else []
        return ["loss"] + (self._compiled_loss.part_names if self._compiled_loss else []) + [m.name for m in extra]

    # ---- graph building -----------------------------------------------------------
    def _function(self, kind: str, x, y, sample_weight):
        key = (kind, _signature(x), _signature(y), sample_weight is not None)
        found = self._functions.get(key)
        if found is None:
            found = self._functions[key] = self._build_function(kind, x, y, sample_weight)
        return found

    def _build_function(self, kind: str, x, y, sample_weight):
        graph = backend.Graph()
        with graph.as_default(), collect_updates() as updates:
            x_in = map_structure(lambda a: backend.placeholder(a.dtype, (None,) + a.shape[1:], name="x"), x)
            y_pred = self(x_in, training=(kind == "train"))
            if kind == "predict":
                return backend.compile(flatten(y_pred), flatten(x_in), targets=updates), 0
            self._ensure_compiled_losses(y_pred)
            y_in = self._align(map_structure(lambda a: backend.placeholder(a.dtype, (None,) + a.shape[1:], name="y"), y), y_pred)
            sw_in = backend.placeholder("float32", (None,), name="sample_weight") if sample_weight is not None else None
            regularization = self.regularization_losses() if kind == "train" else []
            total, parts = self._compiled_loss.build(y_in, flatten(y_pred), sw_in, regularization)
            targets = list(updates)
            if kind == "train":
                params = self.trainable_weights
                grads = backend.gradients(total, params)
                pairs = [(g, v) for g, v in zip(grads, params) if g is not None]
                if pairs:
                    targets += list(self.optimizer.update_ops([g for g, _ in pairs], [v for _, v in pairs]))
        feeds = flatten(x_in) + y_in + ([sw_in] if sw_in is not None else [])
        return backend.compile([total] + parts + flatten(y_pred), feeds, targets), len(parts)

    def _align(self, y, y_pred) -> list:
        """Targets as a list in the order of the flattened outputs."""
        if isinstance(y, dict):
            names = self._output_names(y_pred)
            return [y[n] for n in names]
        flat = flatten(y)
        if len(flat) != len(flatten(y_pred)):
            raise ValueError(f"model '{self.name}' has {len(flatten(y_pred))} output(s) but got {len(flat)} target array(s)")
        return flat

    def _run(self, kind: str, x, y, sample_weight):
        fn, n_parts = self._function(kind, x, y, sample_weight)
        feeds = flatten(x) + ([] if y is None else (self._align_arrays(y))) + ([sample_weight] if sample_weight is not None else [])
        return fn(*feeds), n_parts

    def _align_arrays(self, y) -> list:
        if isinstance(y, dict):
            return [y[n] for n in self._compiled_loss.output_names]
        return flatten(y)

    def _step(self, kind: str, x, y, sample_weight) -> None:
        if y is None:
            raise ValueError(f"{'fit' if kind == 'train' else 'evaluate'}() needs targets y: got None")
        outs, n_parts = self._run(kind, x, y, sample_weight)
        batch = len(flatten(x)[0])
        self._loss_tracker.update(outs[0], batch)
        for tracker, value in zip(self._part_trackers, outs[1:1 + n_parts]):
            tracker.update(value, batch)
        self._compiled_metrics.update(self._align_arrays(y), outs[1 + n_parts:], sample_weight)

    def _reset_metrics(self) -> None:
        self._loss_tracker = _Mean()
        self._part_trackers = [_Mean() for _ in (self._compiled_loss.part_names if self._compiled_loss else [])]
        if self._compiled_metrics is not None:
            self._compiled_metrics.reset()

    def _logs(self) -> dict:
        logs = {"loss": self._loss_tracker.result()}
        if self._compiled_loss is not None:
            logs.update({n: t.result() for n, t in zip(self._compiled_loss.part_names, self._part_trackers)})
        if self._compiled_metrics is not None:
            logs.update(self._compiled_metrics.results())
        return logs

    def _require_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(f"You must call compile() on model '{self.name}' before {what}()")

    # ---- public API ---------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs: int = 1, verbose="auto", callbacks=None, validation_split: float = 0.0,
            validation_data=None, shuffle: bool = True, class_weight=None, sample_weight=None, initial_epoch: int = 0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq: int = 1):
        """Train for `epochs` epochs; returns the History."""
        from kerasish.callbacks import CallbackList

        self._require_compiled("fit")
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = split_validation(x, y, sample_weight, validation_split)
        data = make_batches(x, y, sample_weight, batch_size, shuffle, class_weight, steps_per_epoch)
        verbose = 1 if verbose == "auto" else verbose
        cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                           verbose=verbose, epochs=epochs, steps=len(data))
        self.stop_training = False
        cbs.on_train_begin()
        initial_epoch, self._initial_epoch = self._initial_epoch or initial_epoch, None
        logs: dict = {}
        for epoch in range(initial_epoch, epochs):
            self._reset_metrics()
            cbs.on_epoch_begin(epoch)
            for step, (xb, yb, swb) in enumerate(data.epoch()):
                cbs.on_train_batch_begin(step)
                self._step("train", xb, yb, swb)
                logs = self._logs()
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = dict(logs)
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                vx, vy, vsw = unpack(validation_data) if isinstance(validation_data, tuple) else (validation_data, None, None)
                val = self.evaluate(vx, vy, batch_size=validation_batch_size or batch_size, sample_weight=vsw, verbose=0,
                                    steps=validation_steps, return_dict=True)
                epoch_logs.update({f"val_{k}": v for k, v in val.items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        cbs.on_train_end(epoch_logs if epochs > initial_epoch else {})
        return self.history

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None, callbacks=None,
                 return_dict: bool = False):
        """Loss and metrics on the data (inference mode)."""
        from kerasish.callbacks import CallbackList

        self._require_compiled("evaluate")
        data = make_batches(x, y, sample_weight, batch_size, False, None, steps)
        verbose = 1 if verbose == "auto" else verbose
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1, steps=len(data))
        self._reset_metrics()
        cbs.on_test_begin()
        for step, (xb, yb, swb) in enumerate(data.epoch()):
            cbs.on_test_batch_begin(step)
            self._step("test", xb, yb, swb)
            cbs.on_test_batch_end(step, self._logs())
        logs = self._logs()
        cbs.on_test_end(logs)
        return logs if return_dict else _scalar_or_list(logs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Model outputs for `x`, batch by batch, as NumPy arrays."""
        from kerasish.callbacks import CallbackList

        data = make_batches(x, None, None, batch_size, False, None, steps)
        verbose = 1 if verbose == "auto" else verbose
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1, steps=len(data))
        cbs.on_predict_begin()
        chunks = []
        for step, (xb, _, _) in enumerate(data.epoch()):
            cbs.on_predict_batch_begin(step)
            outs, _ = self._run("predict", xb, None, None)
            chunks.append(outs)
            cbs.on_predict_batch_end(step, {"outputs": outs})
        cbs.on_predict_end()
        if not chunks:
            raise ValueError("predict() got no data")
        merged = [np.concatenate(parts) for parts in zip(*chunks)]
        return self._restructure(merged)

    def _restructure(self, arrays: list):
        structure = getattr(self, "output_structure", None)
        if structure is None or not isinstance(structure, (list, tuple, dict)):
            return arrays[0] if len(arrays) == 1 else arrays
        it = iter(arrays)
        return map_structure(lambda _: next(it), structure)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict: bool = False):
        self._require_compiled("train_on_batch")
        data = make_batches(x, y, sample_weight, len(flatten(x)[0]), False, class_weight)
        xb, yb, swb = next(data.epoch())
        self._reset_metrics()
        self._step("train", xb, yb, swb)
        logs = self._logs()
        return logs if return_dict else _scalar_or_list(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict: bool = False):
        self._require_compiled("test_on_batch")
        data = make_batches(x, y, sample_weight, len(flatten(x)[0]), False)
        xb, yb, swb = next(data.epoch())
        self._reset_metrics()
        self._step("test", xb, yb, swb)
        logs = self._logs()
        return logs if return_dict else _scalar_or_list(logs)

    def predict_on_batch(self, x):
        return self.predict(x, batch_size=len(flatten(x)[0]), verbose=0)


def _signature(data) -> tuple:
    if data is None:
        return ()
    return tuple((np.asarray(a).dtype.str, np.shape(a)[1:]) for a in flatten(data))


def _scalar_or_list(logs: dict):
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
