"""TF1-style optimizers (`kerasish.backend.train`): minimize(loss) returns an op for Session.run."""
from .adadelta import AdadeltaOptimizer
from .adagrad import AdagradOptimizer
from .adam import AdamOptimizer
from .gradient_descent import GradientDescentOptimizer
from .momentum import MomentumOptimizer
from .optimizer import Optimizer
from .rmsprop import RMSPropOptimizer
from .saver import Saver, latest_checkpoint
from .training_util import get_global_step, get_or_create_global_step

__all__ = ["Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "AdagradOptimizer", "RMSPropOptimizer",
           "AdadeltaOptimizer", "AdamOptimizer", "Saver", "latest_checkpoint", "get_global_step", "get_or_create_global_step"]
