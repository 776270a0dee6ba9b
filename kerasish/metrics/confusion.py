"""Confusion-matrix metrics: Precision, Recall and AUC (ROC / PR), accumulated at thresholds."""
from __future__ import annotations

from typing import Optional, Sequence, Union

import numpy as np

from kerasish.losses.loss import EPSILON

from .metric import Metric, squeeze_or_expand_to_same_rank

Thresholds = Union[float, Sequence[float], None]


def _filter_top_k(y_pred: np.ndarray, k: int) -> np.ndarray:
    """y_pred with all but the k largest entries of the last axis set to -inf."""
    keep = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    out = np.full_like(y_pred, -np.inf)
    np.put_along_axis(out, keep, np.take_along_axis(y_pred, keep, axis=-1), axis=-1)
    return out


def confusion_counts(y_true, y_pred, thresholds: np.ndarray, sample_weight=None, top_k: Optional[int] = None,
                     class_id: Optional[int] = None, multi_label: bool = False, label_weights=None) -> dict:
    """Weighted tp/fp/tn/fn for `y_pred > threshold` at every threshold.

    Shapes (T,) or, with `multi_label`, (T, num_labels). Labels count as positive when nonzero.
    """
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = np.asarray(y_true, dtype=np.float64)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    weights = np.ones_like(y_pred) if sample_weight is None else _broadcast_weights(sample_weight, y_pred)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        y_true, y_pred, weights = y_true[..., class_id], y_pred[..., class_id], weights[..., class_id]
    if label_weights is not None and not multi_label:
        weights = weights * np.asarray(label_weights, dtype=np.float64)
    columns = y_pred.shape[-1] if multi_label else 1
    positive = (y_true != 0).reshape(-1, columns)
    weights = np.broadcast_to(weights, y_pred.shape).reshape(-1, columns)
    y_pred = np.where(np.isnan(y_pred), -np.inf, y_pred).reshape(-1, columns)
    order = np.argsort(thresholds, kind="stable")
    # bucket = number of thresholds strictly below the prediction: it is > exactly those
    bucket = np.searchsorted(np.asarray(thresholds, dtype=np.float64)[order], y_pred, side="left")
    bucket = bucket + np.arange(columns) * (len(thresholds) + 1)

    def above(w: np.ndarray) -> np.ndarray:
        counts = np.bincount(bucket.ravel(), weights=w.ravel(), minlength=columns * (len(thresholds) + 1))
        counts = counts.reshape(columns, len(thresholds) + 1)
        tail = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1][:, 1:].T  # (T, columns), sorted thresholds
        unsorted = np.empty_like(tail)
        unsorted[order] = tail
        return unsorted if multi_label else unsorted[:, 0]

    pos_w, neg_w = weights * positive, weights * ~positive
    tp, fp = above(pos_w), above(neg_w)
    total_pos, total_neg = pos_w.sum(axis=0), neg_w.sum(axis=0)
    if not multi_label:
        total_pos, total_neg = total_pos[0], total_neg[0]
    return {"true_positives": tp, "false_positives": fp, "true_negatives": total_neg - fp,
            "false_negatives": total_pos - tp}


def _broadcast_weights(sample_weight, y_pred: np.ndarray) -> np.ndarray:
    """Sample weights broadcast per sample over the remaining axes of y_pred."""
    weight = np.asarray(sample_weight, dtype=np.float64)
    weight, _ = squeeze_or_expand_to_same_rank(weight, y_pred)
    weight = weight.reshape(weight.shape + (1,) * (y_pred.ndim - weight.ndim))
    return np.broadcast_to(weight, y_pred.shape)


def _divide_no_nan(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b != 0)


class _ThresholdMetric(Metric):
    """Shared by Precision and Recall: counts at `thresholds` with optional top_k / class_id."""

    _counts: tuple = ()

    def __init__(self, thresholds: Thresholds = None, top_k: Optional[int] = None, class_id: Optional[int] = None,
                 name: Optional[str] = None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else -np.inf
        values = default if thresholds is None else thresholds
        self.thresholds = [float(t) for t in np.atleast_1d(values)]
        for t in self.thresholds:
            if not (np.isneginf(t) or 0.0 <= t <= 1.0):
                raise ValueError(f"Threshold values must be in [0, 1]. Received: {self.thresholds}")
        for count in self._counts:
            self.add_state(count, (len(self.thresholds),))

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        counts = confusion_counts(y_true, y_pred, np.asarray(self.thresholds), sample_weight, self.top_k,
                                  self.class_id)
        for count in self._counts:
            getattr(self, count)[...] += counts[count]

    def _finish(self, values: np.ndarray):
        return float(values[0]) if len(self.thresholds) == 1 else values

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_ThresholdMetric):
    """tp / (tp + fp): a float for one threshold, an array for several."""

    _counts = ("true_positives", "false_positives")

    def result(self):
        return self._finish(_divide_no_nan(self.true_positives, self.true_positives + self.false_positives))


class Recall(_ThresholdMetric):
    """tp / (tp + fn): a float for one threshold, an array for several."""

    _counts = ("true_positives", "false_negatives")

    def result(self):
        return self._finish(_divide_no_nan(self.true_positives, self.true_positives + self.false_negatives))


class AUC(Metric):
    """Area under the ROC or PR curve, by a Riemann sum over `num_thresholds` thresholds.

    PR with summation_method="interpolation" uses the Davis & Goadrich interpolation, as Keras.
    """

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC", summation_method: str = "interpolation",
                 name: Optional[str] = None, dtype=None, thresholds: Optional[Sequence[float]] = None,
                 multi_label: bool = False, num_labels: Optional[int] = None, label_weights=None,
                 from_logits: bool = False):
        super().__init__(name=name, dtype=dtype)
        if str(curve).upper() not in ("ROC", "PR"):
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected "ROC" or "PR".')
        if str(summation_method).lower() not in ("interpolation", "minoring", "majoring"):
            raise ValueError(f'Invalid AUC summation method: "{summation_method}". '
                             'Expected "interpolation", "minoring" or "majoring".')
        self.curve = str(curve).upper()
        self.summation_method = str(summation_method).lower()
        self._given_thresholds = None if thresholds is None else sorted(float(t) for t in thresholds)
        if thresholds is None:
            if num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. Received: {num_thresholds}")
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        else:
            inner = self._given_thresholds
        self.thresholds = np.array([0.0 - EPSILON] + list(inner) + [1.0 + EPSILON])
        self.num_thresholds = len(self.thresholds)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else np.asarray(label_weights, dtype=np.float64)
        self.from_logits = from_logits
        if not multi_label or num_labels is not None:
            self._build()

    def _build(self) -> None:
        shape = (self.num_thresholds, self.num_labels) if self.multi_label else (self.num_thresholds,)
        for count in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            self.add_state(count, shape)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        y_pred = np.asarray(y_pred, dtype=np.float64)
        if self.from_logits:
            y_pred = 1.0 / (1.0 + np.exp(-y_pred))
        if self.multi_label and self.num_labels is None:
            self.num_labels = y_pred.shape[-1]
            self._build()
        counts = confusion_counts(y_true, y_pred, self.thresholds, sample_weight, multi_label=self.multi_label,
                                  label_weights=None if self.multi_label else self.label_weights)
        for name, value in counts.items():
            getattr(self, name)[...] += value

    def reset_state(self) -> None:
        if self._state_shapes:
            super().reset_state()

    def result(self) -> float:
        if not self._state_shapes:
            return 0.0
        if self.curve == "PR" and self.summation_method == "interpolation":
            by_label = self._interpolate_pr_auc()
        else:
            by_label = self._riemann_auc()
        if not self.multi_label:
            return float(by_label)
        if self.label_weights is None:
            return float(np.mean(by_label))
        return float(_divide_no_nan(np.sum(by_label * self.label_weights), np.sum(self.label_weights)))

    def _riemann_auc(self) -> np.ndarray:
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, _divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return np.sum((x[:-1] - x[1:]) * heights, axis=0)

    def _interpolate_pr_auc(self) -> np.ndarray:
        """Precision interpolated linearly in tp between thresholds (Davis & Goadrich 2006)."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = np.where(both, _divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        increment = _divide_no_nan(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0))
        return np.sum(increment, axis=0)

    def get_config(self) -> dict:
        config = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels, "from_logits": self.from_logits,
                  "label_weights": None if self.label_weights is None else self.label_weights.tolist()}
        if self._given_thresholds is not None:
            config["thresholds"] = self._given_thresholds
        return config
