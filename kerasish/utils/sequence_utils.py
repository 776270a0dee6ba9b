"""Padding of variable-length sequences into one array."""
from typing import Optional, Sequence

import numpy as np


def _check_side(name: str, side: str) -> None:
    if side not in ("pre", "post"):
        raise ValueError(f'{name.capitalize()} type "{side}" not understood: use "pre" or "post".')


def pad_sequences(sequences: Sequence, maxlen: Optional[int] = None, dtype="int32", padding: str = "pre",
                  truncating: str = "pre", value=0.0) -> np.ndarray:
    """Pads (or truncates) each sequence to `maxlen`, giving an array (num_samples, maxlen, ...).

    `padding`/`truncating` say on which side values are added/removed ("pre"
    or "post"); `maxlen` defaults to the longest sequence. Elements may be
    arrays of a common shape, which becomes the trailing shape of the result.
    """
    _check_side("padding", padding)
    _check_side("truncating", truncating)
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths, sample_shape = [], None
    for item in sequences:
        try:
            lengths.append(len(item))
        except TypeError as error:
            raise ValueError(f"`sequences` must be a list of iterables. Found non-iterable: {item}") from error
        if sample_shape is None and len(item):
            sample_shape = np.asarray(item).shape[1:]
    sample_shape = sample_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)
    if isinstance(value, str) and np.dtype(dtype).kind not in "OSU":
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
                         "You should set `dtype=object` for variable length strings.")
    padded = np.full((len(sequences), maxlen) + tuple(sample_shape), value, dtype=dtype)
    for index, item in enumerate(sequences):
        if not len(item) or not maxlen:
            continue
        kept = np.asarray(item[-maxlen:] if truncating == "pre" else item[:maxlen], dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {index} is different "
                             f"from expected shape {sample_shape}")
        if padding == "post":
            padded[index, :len(kept)] = kept
        else:
            padded[index, -len(kept):] = kept
    return padded
