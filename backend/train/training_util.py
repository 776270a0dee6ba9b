"""The global step counter of a graph (TF1 `train.get_or_create_global_step`)."""
from typing import Optional

import numpy as np

from ..graph import Graph, get_default_graph
from ..variables import Variable


def get_global_step(graph: Optional[Graph] = None) -> Optional[Variable]:
    return (graph or get_default_graph()).collections.get("global_step")


def get_or_create_global_step(graph: Optional[Graph] = None) -> Variable:
    """The graph's int64 step counter (created at 0, not trainable); `apply_gradients` increments it."""
    graph = graph or get_default_graph()
    step = graph.collections.get("global_step")
    if step is None:
        step = graph.collections["global_step"] = Variable(np.zeros((), np.int64), trainable=False, name="global_step")
    return step
