"""`keras.ops`: the ops a custom layer needs, eager on arrays and symbolic in graphs."""
from .nn import *  # noqa: F401,F403
from .numpy import *  # noqa: F401,F403
from .nn import gelu, leaky_relu, softmax  # noqa: F401
from .numpy import abs, max, min, round, sum  # noqa: F401,A004
