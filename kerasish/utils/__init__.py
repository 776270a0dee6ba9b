"""`keras.utils`: progress bar, model summary, data and label helpers."""
from .numerical_utils import normalize, to_categorical
from .progbar import Progbar
from .py_dataset import PyDataset
from .rng_utils import set_random_seed
from .sequence_utils import pad_sequences
from .summary_utils import print_summary

__all__ = ["Progbar", "PyDataset", "normalize", "pad_sequences", "print_summary", "set_random_seed",
           "to_categorical"]
