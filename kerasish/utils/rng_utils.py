"""Global seeding for reproducible runs."""
import random

import numpy as np

from .. import backend


def set_random_seed(seed: int) -> None:
    """Seeds Python's `random`, NumPy's global generator and the kerasish backend devices."""
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} (of type {type(seed)})")
    random.seed(seed)
    np.random.seed(seed)
    backend.set_random_seed(seed)
