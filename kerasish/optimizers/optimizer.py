"""The Keras 3 optimizer base: state variables, clipping, weight decay and graph updates.

The trainer calls `update_ops(grads, variables)` while building its training graph and
gets back stateful graph tensors: one fused update op per variable (backend/ops/optimizer.py),
plus the iteration increment. Everything step-dependent (learning rate, schedules, bias
corrections) is computed in the graph from variables, so nothing is recompiled when the
learning rate is set or the step advances. `apply_gradients` does the same eagerly by
compiling that graph once for the given variables.
"""
from __future__ import annotations

import re
import warnings
from typing import Optional, Sequence

import numpy as np

from kerasish import backend
from kerasish.backend.ops import optimizer as update_ops_lib
from kerasish.backend.ops.math import add, cast, multiply
from kerasish.backend.ops.state import assign, assign_add
from kerasish.variables import KerasVariable

from .schedules import learning_rate_schedule


def to_snake_case(name: str) -> str:
    """"RMSprop" -> "rm_sprop", "AdamW" -> "adam_w": Keras' default optimizer names."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class Optimizer:
    """Base class: subclasses create slots in `build` and emit updates in `update_step`."""

    def __init__(self, learning_rate, weight_decay: Optional[float] = None, clipnorm: Optional[float] = None,
                 clipvalue: Optional[float] = None, global_clipnorm: Optional[float] = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: Optional[int] = None,
                 loss_scale_factor: Optional[float] = None, gradient_accumulation_steps: Optional[int] = None,
                 name: Optional[str] = None, **kwargs):
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if sum(c is not None for c in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                             f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
        if use_ema or gradient_accumulation_steps:
            raise NotImplementedError("use_ema and gradient_accumulation_steps are not supported by kerasish optimizers")
        self.name = name or to_snake_case(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables: list = []
        self._index: dict = {}
        self._exclude_ids: set = set()
        self._exclude_pattern: Optional[str] = None
        self._eager_functions: dict = {}
        self._iterations = self.add_variable((), initializer=0, dtype="int64", name="iteration")
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule):
            self._learning_rate = learning_rate
        else:
            self._learning_rate = self.add_variable((), initializer=_as_float(learning_rate), name="learning_rate")

    # ---- state --------------------------------------------------------------------------------
    def add_variable(self, shape, initializer: float = 0.0, dtype=None, name: str = "variable") -> KerasVariable:
        """A non-trainable optimizer variable filled with `initializer`, at path "<optimizer>/<name>"."""
        dtype = backend.as_dtype(dtype)
        value = np.full(tuple(shape), initializer, dtype=dtype)
        var = KerasVariable(value, shape=tuple(shape), dtype=dtype, trainable=False, name=name, path=f"{self.name}/{name}")
        self._variables.append(var)
        return var

    def add_variable_from_reference(self, reference, name: str, initializer: float = 0.0) -> KerasVariable:
        """A slot shaped like `reference`, named "<reference path with _>_<name>" as in Keras."""
        base = getattr(reference, "path", None) or reference.name.split(":")[0]
        return self.add_variable(reference.shape, initializer, reference.dtype, f"{base.replace('/', '_')}_{name}")

    def add_optimizer_variables(self, var_list: Sequence, names, initializer: float = 0.0):
        """Slots for every variable; with a list of names, the slots of one variable are made together."""
        single = isinstance(names, str)
        names = [names] if single else list(names)
        slots = [[] for _ in names]
        for var in var_list:
            for per_name, name in zip(slots, names):
                per_name.append(self.add_variable_from_reference(var, name, initializer))
        return slots[0] if single else tuple(slots)

    def build(self, variables: Sequence) -> None:
        """Register the trainable variables; subclasses then create their slots (once)."""
        self._index = {id(v): i for i, v in enumerate(variables)}
        self.built = True

    def _var_index(self, variable) -> int:
        try:
            return self._index[id(variable)]
        except KeyError:
            raise ValueError(f"Unknown variable: {variable}. This optimizer can only be called for the variables it was "
                             "originally built with. When working with a new set of variables, you should recreate a "
                             "new optimizer instance.") from None

    @property
    def variables(self) -> list:
        return list(self._variables)

    @property
    def iterations(self) -> KerasVariable:
        return self._iterations

    @property
    def learning_rate(self) -> float:
        """The current learning rate as a float (a schedule is evaluated at `iterations`)."""
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            return float(self._learning_rate(int(self._iterations.numpy())))
        return float(self._learning_rate.numpy())

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            raise TypeError("This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
                            "constructor argument, hence its learning rate is not settable. If you need the learning "
                            "rate to be settable, you should instantiate the optimizer with a float `learning_rate`.")
        self._learning_rate.assign(np.asarray(_as_float(value), self._learning_rate.dtype))

    def exclude_from_weight_decay(self, var_list: Optional[Sequence] = None, var_names: Optional[Sequence[str]] = None) -> None:
        """Skip weight decay for these variables, or for variables whose name matches one of `var_names`."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the optimizer is built.")
        self._exclude_ids = {id(v) for v in var_list or []}
        self._exclude_pattern = "|".join(var_names) if var_names else None

    def _use_weight_decay(self, variable) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        return self._exclude_pattern is None or re.search(self._exclude_pattern, variable.name) is None

    # ---- graph updates ------------------------------------------------------------------------
    def update_ops(self, grads: Sequence, variables: Sequence) -> list:
        """Stateful graph tensors that apply `grads` to `variables` (one training step).

        Clipping, loss-scale unscaling, weight decay, the update rule, variable constraints
        and the iteration increment are all in the returned ops; fetch them as targets.
        """
        grads, variables = list(grads), list(variables)
        if len(grads) != len(variables):
            raise ValueError(f"got {len(grads)} gradients for {len(variables)} variables")
        if not self.built:
            self.build(variables)
        pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not pairs:
            raise ValueError(f"No gradients provided for any variable: {[v.path if hasattr(v, 'path') else v.name for v in variables]}")
        for _, v in pairs:
            self._var_index(v)
        graph = next((g.graph for g, _ in pairs if isinstance(g, backend.Tensor)), backend.get_default_graph())
        with graph.as_default(), graph.name_scope(self.name):
            grads = [cast(g, v.dtype) for g, v in pairs]
            variables = [v for _, v in pairs]
            if self.loss_scale_factor is not None:
                grads = [multiply(g, 1.0 / self.loss_scale_factor) for g in grads]
            grads = self._clip_gradients(grads)
            lr = self._current_learning_rate()
            ops = self._backend_update_step(grads, variables, lr)
            ops.append(assign_add(self._iterations, np.ones((), self._iterations.dtype)))
        return ops

    def _current_learning_rate(self):
        """The learning rate in the graph: a schedule evaluated at `iterations`, or the variable."""
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            return self._learning_rate(self._iterations)
        return self._learning_rate

    def _clip_gradients(self, grads: list) -> list:
        if self.clipnorm and self.clipnorm > 0:
            return [update_ops_lib.clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return update_ops_lib.clip_by_global_norm(grads, self.global_clipnorm)[0]
        if self.clipvalue and self.clipvalue > 0:
            return [update_ops_lib.clip_by_value(g, self.clipvalue) for g in grads]
        return grads

    def _backend_update_step(self, grads: list, variables: list, learning_rate) -> list:
        """Weight decay, then one fused update per variable, then constraints."""
        ops, prepared = [], {}
        for grad, var in zip(grads, variables):
            dtype = var.dtype
            if dtype not in prepared:
                lr = update_ops_lib.scalar(learning_rate, dtype)
                prepared[dtype] = (lr, self._prepare_step(lr, dtype))
            lr, coefficients = prepared[dtype]
            target = var
            if self.weight_decay and self._use_weight_decay(var):
                target = update_ops_lib.apply_weight_decay(var, lr, weight_decay=float(self.weight_decay))
            updated = self.update_step(grad, var, target, lr, coefficients)
            constraint = getattr(var, "constraint", None)
            ops.append(assign(var, constraint(updated)) if constraint is not None else updated)
        return ops

    def _prepare_step(self, learning_rate, dtype) -> dict:
        """Step-dependent scalars shared by all variables of `dtype` (e.g. Adam's bias correction)."""
        return {}

    def update_step(self, gradient, variable, target, learning_rate, coefficients: dict):
        """The fused update op writing `target` (the variable, or its weight-decayed value)."""
        raise NotImplementedError

    def _local_step(self, dtype, offset: int = 1):
        """iterations + offset as a scalar of `dtype` (Keras' t = iterations + 1)."""
        return cast(add(self._iterations, np.asarray(offset, self._iterations.dtype)), dtype)

    # ---- eager use ----------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars) -> KerasVariable:
        """Apply NumPy gradients now (the graph is compiled once per variables/gradient shapes)."""
        grads_and_vars = list(grads_and_vars)
        return self.apply([g for g, _ in grads_and_vars], [v for _, v in grads_and_vars])

    def apply(self, grads: Sequence, trainable_variables: Sequence) -> KerasVariable:
        grads = [None if g is None else np.asarray(g) for g in grads]
        variables = list(trainable_variables)
        key = tuple((id(v), None if g is None else (g.shape, g.dtype.str)) for g, v in zip(grads, variables))
        fn = self._eager_functions.get(key)
        if fn is None:
            graph = backend.Graph()
            with graph.as_default():
                feeds = [None if g is None else backend.placeholder(g.dtype, shape=g.shape) for g in grads]
                targets = self.update_ops(feeds, variables)
            fn = self._eager_functions[key] = backend.compile([], [f for f in feeds if f is not None], targets)
        fn(*[g for g in grads if g is not None])
        return self._iterations

    def scale_loss(self, loss):
        """The loss multiplied by `loss_scale_factor` (gradients are divided by it in `update_ops`)."""
        return loss if self.loss_scale_factor is None else multiply(loss, float(self.loss_scale_factor))

    # ---- saving -------------------------------------------------------------------------------
    def save_own_variables(self, store) -> None:
        """Write the variables' values into `store` under "0", "1", ... (Keras 3 saving layout)."""
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        """Restore values written by `save_own_variables`; warn and skip when the counts differ."""
        if len(store.keys()) != len(self._variables):
            warnings.warn(f"Skipping variable loading for optimizer '{self.name}', because it has "
                          f"{len(self._variables)} variables whereas the saved optimizer has {len(store.keys())} "
                          "variables." + (" This is likely because the optimizer has not been called/built yet."
                                          if not self.built else ""), stacklevel=2)
            return
        for i, variable in enumerate(self._variables):
            variable.assign(np.asarray(store[str(i)]))

    # ---- config -------------------------------------------------------------------------------
    def get_config(self) -> dict:
        if isinstance(self._learning_rate, learning_rate_schedule.LearningRateSchedule):
            learning_rate = learning_rate_schedule.serialize(self._learning_rate)
        else:
            learning_rate = float(self._learning_rate.numpy())
        return {
            "name": self.name, "learning_rate": learning_rate, "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
            "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency, "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> "Optimizer":
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = learning_rate_schedule.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name} learning_rate={self.learning_rate:g}>"


def _as_float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError("Argument `learning_rate` should be float, or an instance of "
                         f"LearningRateSchedule. Received: learning_rate={value!r}") from None
