"""Gradient-check cases for the recurrent ops: batch 2, time 3, in 3, units 2, float64.

Inputs follow the op signatures: x, initial state(s), kernel, recurrent_kernel, bias[, mask].
The masks have masked steps in the middle, at the start (zero output fill) and, in the last
case, a step masked for the whole batch (skipped). Masks are float 0/1 and get no gradient
(the kernels read mask > 0.5, so finite differences see none either).
"""
import numpy as np

BATCH, TIME, FEATURES, UNITS = 2, 3, 3, 2
MASK_INNER = np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
MASK_LEADING = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
MASK_BATCH_STEP = np.array([[0.0, 1.0, 1.0], [0.0, 1.0, 0.0]])


def _inputs(gates: int, n_states: int, bias_shape: tuple, seed: int) -> list:
    rng = np.random.default_rng(seed)
    width = gates * UNITS
    return ([rng.normal(size=(BATCH, TIME, FEATURES))]
            + [rng.normal(scale=0.5, size=(BATCH, UNITS)) for _ in range(n_states)]
            + [rng.normal(scale=0.5, size=(FEATURES, width)), rng.normal(scale=0.5, size=(UNITS, width)),
               rng.normal(scale=0.3, size=bias_shape)])


def _cases(gates: int, n_states: int, bias_shape: tuple, **attrs) -> list:
    """Cases checking hs and the final states (outputs 0..n_states; the workspace is not differentiated)."""
    outputs = list(range(1 + n_states))
    return [
        dict(inputs=_inputs(gates, n_states, bias_shape, 0), attrs=dict(attrs), outputs=outputs),
        dict(inputs=_inputs(gates, n_states, bias_shape, 1) + [MASK_INNER], attrs=dict(attrs), outputs=outputs),
        dict(inputs=_inputs(gates, n_states, bias_shape, 2) + [MASK_LEADING], attrs=dict(attrs, go_backwards=True),
             outputs=outputs),
        dict(inputs=_inputs(gates, n_states, bias_shape, 3) + [MASK_BATCH_STEP], attrs=dict(attrs), outputs=outputs),
    ]


CASES = {
    "lstm_seq": _cases(4, 2, (4 * UNITS,)),
    "gru_seq": _cases(3, 1, (2, 3 * UNITS)),
    "simple_rnn_seq": _cases(1, 1, (UNITS,)) + _cases(1, 1, (UNITS,), activation="relu")[:1],
}
