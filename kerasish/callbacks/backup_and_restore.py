"""Backs up the training state so an interrupted `fit` resumes where it stopped."""
import json
import os
import shutil
from typing import Union

from kerasish.backend.file_io import atomic_write

from .callback import Callback


class BackupAndRestore(Callback):
    """Keeps `latest.weights.h5` (model and optimizer variables) and `training_metadata.json`
    (the next epoch and batch) in `backup_dir`.

    When `fit` starts and a backup exists, the weights and optimizer slots are restored and
    training continues at the saved epoch, so the run follows the trajectory of an
    uninterrupted one. `save_freq` is "epoch" or a number of batches; `double_checkpoint`
    keeps the previous backup beside the latest in case the latest is damaged. The backup is
    removed when `fit` completes, unless `delete_checkpoint=False`.
    """

    def __init__(self, backup_dir: Union[str, os.PathLike], save_freq: Union[str, int] = "epoch",
                 double_checkpoint: bool = False, delete_checkpoint: bool = True) -> None:
        super().__init__()
        if not backup_dir:
            raise ValueError("BackupAndRestore: `backup_dir` must be a non-empty path")
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(f"BackupAndRestore: invalid save_freq={save_freq!r}; expected 'epoch' or a positive "
                             "number of batches")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._previous_weights_path = os.path.join(self.backup_dir, "latest.weights.h5.bkp")
        self._previous_metadata_path = os.path.join(self.backup_dir, "training_metadata.json.bkp")
        self._current_epoch = 0
        self._batches_seen = 0

    def on_train_begin(self, logs=None):
        for weights, metadata in ((self._weights_path, self._metadata_path),
                                  (self._previous_weights_path, self._previous_metadata_path)):
            if os.path.exists(weights) and os.path.exists(metadata):
                self._restore(weights, metadata)
                return

    def _restore(self, weights_path: str, metadata_path: str) -> None:
        model = self.model
        if model.optimizer is not None and not model.optimizer.built:
            model.optimizer.build(model.trainable_weights)
        model.load_weights(weights_path)
        with open(metadata_path, encoding="utf-8") as handle:
            metadata = json.load(handle)
        model._initial_epoch = int(metadata["epoch"])

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch":
            self._batches_seen += 1
            if self._batches_seen % self.save_freq == 0:
                self._backup(epoch=self._current_epoch, batch=batch)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._backup(epoch=epoch + 1, batch=0)

    def _backup(self, epoch: int, batch: int) -> None:
        """Write the new backup beside the old one and rename, so a crash never leaves none."""
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._weights_path):
            shutil.copyfile(self._weights_path, self._previous_weights_path)
            shutil.copyfile(self._metadata_path, self._previous_metadata_path)
        self.model.save_weights(self._weights_path)
        with atomic_write(self._metadata_path) as tmp:
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump({"epoch": epoch, "batch": batch}, handle)

    def on_train_end(self, logs=None):
        """Only reached when `fit` completes: an interrupted run keeps its backup."""
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            shutil.rmtree(self.backup_dir)
