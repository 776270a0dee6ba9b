"""Keras 3 Nadam: Adam with Nesterov momentum and the 0.96-decay momentum schedule.

u_t = b1*(1 - 0.5*0.96^t) (t = iterations+1); the product of all u_t so far lives in a
variable that is advanced once per step before the per-variable updates read it.
"""
from kerasish.backend.ops.math import cast, multiply, power, subtract
from kerasish.backend.ops.optimizer import apply_nadam
from kerasish.backend.ops.state import assign

from .optimizer import Optimizer


class Nadam(Optimizer):
    def __init__(self, learning_rate=0.001, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self._u_product_t = None

    def build(self, variables):
        if self.built:
            return
        dtype = variables[0].dtype if variables else None
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        self._u_product = self.add_variable((), initializer=1.0, dtype=dtype, name="variable")

    def _momentum_factor(self, dtype, offset: int):
        """u at step iterations + offset: b1 * (1 - 0.5 * 0.96^(iterations + offset))."""
        decay = power(dtype.type(0.96), self._local_step(dtype, offset))
        return multiply(dtype.type(self.beta_1), subtract(1.0, multiply(0.5, decay)))

    def _backend_update_step(self, grads, variables, learning_rate):
        dtype = self._u_product.dtype
        self._u_product_t = multiply(self._u_product, self._momentum_factor(dtype, 1))
        advance = assign(self._u_product, self._u_product_t)
        return [advance] + super()._backend_update_step(grads, variables, learning_rate)

    def _prepare_step(self, learning_rate, dtype):
        return {"u_t": self._momentum_factor(dtype, 1), "u_t_1": self._momentum_factor(dtype, 2),
                "u_product_t": cast(self._u_product_t, dtype),
                "beta_2_power": power(dtype.type(self.beta_2), self._local_step(dtype))}

    def update_step(self, gradient, variable, target, learning_rate, coefficients):
        i = self._var_index(variable)
        c = coefficients
        return apply_nadam(target, self._momentums[i], self._velocities[i], gradient, learning_rate, c["u_t"],
                           c["u_t_1"], c["u_product_t"], c["beta_2_power"], beta_1=float(self.beta_1),
                           beta_2=float(self.beta_2), epsilon=float(self.epsilon))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
