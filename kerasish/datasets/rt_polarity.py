"""The MR sentence-polarity set (Pang and Lee, 2005): 5,331 positive and 5,331 negative
movie-review snippets, lower-cased and tokenised, shipped with kerasish (1.2 MB, gzip).

This is the data set of Kim (2014) that the text-classification examples and benchmarks use.
"""
import gzip
import os

import numpy as np

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def load_texts() -> tuple:
    """All 10,662 snippets as a str array and their labels (1 positive, 0 negative), file order."""
    texts, labels = [], []
    for label, name in ((1, "rt-polarity.pos.gz"), (0, "rt-polarity.neg.gz")):
        with gzip.open(os.path.join(DATA_DIR, name), "rt", encoding="utf-8") as handle:
            lines = [line.strip() for line in handle if line.strip()]
        texts += lines
        labels += [label] * len(lines)
    return np.array(texts, dtype=object), np.array(labels, dtype="int32")


def load_data(test_split: float = 0.1, seed: int = 113) -> tuple:
    """Returns ((x_train, y_train), (x_test, y_test)): raw sentences and 0/1 labels.

    The snippets are shuffled with `seed` and the last `test_split` fraction is held out, so
    every example and benchmark that uses the same arguments sees the same split.
    """
    if not 0.0 < test_split < 1.0:
        raise ValueError(f"rt_polarity.load_data: test_split must be in (0, 1), got {test_split}")
    texts, labels = load_texts()
    order = np.random.default_rng(seed).permutation(len(texts))
    texts, labels = texts[order], labels[order]
    cut = int(round(len(texts) * (1.0 - test_split)))
    return (texts[:cut], labels[:cut]), (texts[cut:], labels[cut:])
