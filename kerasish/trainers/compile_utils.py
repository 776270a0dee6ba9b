"""Loss and metric containers for `compile`: one entry per model output."""
from __future__ import annotations

from typing import Optional

from kerasish.backend.ops import math as M


def _per_output(config, names: list, what: str) -> list:
    """A compile argument as one entry per output (a single value applies to every output)."""
    if isinstance(config, dict):
        unknown = set(config) - set(names)
        if unknown:
            raise ValueError(f"compile({what}=...) names unknown outputs {sorted(unknown)}; the outputs are {names}")
        return [config.get(n) for n in names]
    if isinstance(config, (list, tuple)) and len(names) > 1:
        if len(config) != len(names):
            raise ValueError(f"compile({what}=...) got {len(config)} entries for {len(names)} outputs {names}")
        return list(config)
    return [config] * len(names)


def loss_object(identifier):
    """A Loss instance (functions are wrapped, as Keras' compile does), or None."""
    from kerasish import losses
    from kerasish.losses.loss import Loss, LossFunctionWrapper

    if identifier is None:
        return None
    loss = losses.get(identifier)
    return loss if isinstance(loss, Loss) else LossFunctionWrapper(loss)


class CompiledLoss:
    """The total loss graph: weighted sum of each output's loss plus weight regularization."""

    def __init__(self, loss, loss_weights, output_names: list):
        self.output_names = output_names
        self.losses = [loss_object(l) for l in _per_output(loss, output_names, "loss")]
        weights = _per_output(loss_weights, output_names, "loss_weights") if loss_weights is not None else [1.0] * len(output_names)
        self.weights = [1.0 if w is None else float(w) for w in weights]
        if all(l is None for l in self.losses):
            raise ValueError("compile() needs a loss: pass loss='...' (e.g. 'sparse_categorical_crossentropy')")

    @property
    def part_names(self) -> list:
        """History names of the per-output losses (only reported for several outputs)."""
        if len(self.output_names) == 1:
            return []
        return [f"{n}_loss" for n, l in zip(self.output_names, self.losses) if l is not None]

    def build(self, y_true: list, y_pred: list, sample_weight, regularization: list):
        """(total loss, per-output losses when there are several) as graph tensors."""
        parts, terms = [], []
        for loss, weight, yt, yp in zip(self.losses, self.weights, y_true, y_pred):
            if loss is None:
                continue
            value = loss(yt, yp, sample_weight=sample_weight)
            parts.append(value)
            terms.append(value if weight == 1.0 else M.multiply(value, weight))
        terms += [regularizer(variable) for variable, regularizer in regularization]
        total = terms[0] if len(terms) == 1 else M.add_n(*terms)
        return total, (parts if len(parts) > 1 else [])


class CompiledMetrics:
    """Host-side metric objects per output, fed with fetched predictions."""

    def __init__(self, metrics, weighted_metrics, losses: list, output_shapes: list, output_names: list):
        from kerasish import metrics as metrics_module

        self.entries = []
        for kind, config in (("plain", metrics), ("weighted", weighted_metrics)):
            if config is None:
                continue
            for i, (items, loss, shape) in enumerate(zip(_per_output(config, output_names, "metrics"), losses, output_shapes)):
                for item in (items if isinstance(items, (list, tuple)) else [items] if items is not None else []):
                    metric = metrics_module.resolve(item, loss, shape)
                    if len(output_names) > 1:
                        metric.name = f"{output_names[i]}_{metric.name}"
                    self.entries.append((i, metric, kind == "weighted"))

    @property
    def metrics(self) -> list:
        return [m for _, m, _ in self.entries]

    def update(self, y_true: list, y_pred: list, sample_weight: Optional[object]) -> None:
        for i, metric, weighted in self.entries:
            metric.update_state(y_true[i], y_pred[i], sample_weight if weighted else None)

    def reset(self) -> None:
        for _, metric, _ in self.entries:
            metric.reset_state()

    def results(self) -> dict:
        return {metric.name: float(metric.result()) for _, metric, _ in self.entries}
