"""kerasish.backend: the graph IR, autodiff, compiler, executor and kernels.

It doubles as a TF1-style API (`import kerasish.backend as tf`): placeholders,
variables, `Session.run(fetches, feed_dict)`, `gradients` and `train` optimizers.
"""
from . import ops as _ops  # registers every op
from .autodiff import gradients
from .compiler import Function, compile
from .device import device, get_device, set_random_seed
from .dtypes import as_dtype, bool_, float16, float32, float64, floatx, int8, int16, int32, int64, set_floatx, uint8
from .errors import FeedError, GraphError
from .graph import Graph, Node, Tensor, TensorShape, TensorSpec, get_default_graph, name_scope, reset_default_graph
from .registry import OPS, eager_mode
from .session import InteractiveSession, Session, get_default_session
from .variables import Variable
from .ops.array import (concat, expand_dims, gather, getitem, group, identity, pad, placeholder, reshape, reverse, split,
                        squeeze, stack, stop_gradient, tile, transpose, unstack)
from .ops.math import (absolute as abs, add, add_n, argmax, argmin, cast, clip as _clip, cos, divide, equal, erf, exp,
                       greater, greater_equal, less, less_equal, log, log1p, logical_and, logical_not, logical_or,
                       matmul, maximum, minimum, multiply, negative, not_equal, ones_like, power as pow, reciprocal,
                       rsqrt, sigmoid, sign, sin, sqrt,
                       square, squared_difference, subtract, tanh, where, zeros_like)
from .ops.state import assign, assign_add, assign_sub
from .tf_api import (all_variables, constant, convert_to_tensor, fill, global_variables, global_variables_initializer,
                     initialize_all_variables, ones, random_normal, random_uniform, reduce_max, reduce_mean, reduce_min,
                     reduce_prod, reduce_sum, trainable_variables, truncated_normal, variables_initializer, zeros)
from . import nn
from . import train
