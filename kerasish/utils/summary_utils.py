"""`model.summary()`: the layer table and parameter counts, drawn with rich as Keras 3 does."""
import math
import shutil
from typing import Callable, Iterable, List, Optional, Sequence

import numpy as np
import rich.console
import rich.markup
import rich.table

_SIZE_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")


def _number(value) -> str:
    return f"[color(45)]{value}[/]"


def _symbol(text: str) -> str:
    return f"[color(33)]{text}[/]"


def _bold(text: str, color: Optional[int] = None) -> str:
    return f"[bold][color({color})]{text}[/][/]" if color is not None else f"[bold]{text}[/]"


def readable_memory_size(size_in_bytes: float) -> str:
    """Bytes as "50.04 KB" (powers of 1024, two decimals)."""
    for unit in _SIZE_UNITS:
        if size_in_bytes / 1024 < 1:
            return f"{size_in_bytes:.2f} {unit}"
        size_in_bytes /= 1024
    return f"{size_in_bytes:.2f} {_SIZE_UNITS[-1]}"


def _unique(weights: Iterable) -> list:
    return list({id(w): w for w in weights}.values())


def count_params(weights: Iterable) -> int:
    """Number of scalars in the distinct variables of `weights`."""
    return int(sum(math.prod(w.shape) for w in _unique(weights)))


def weight_memory_size(weights: Iterable) -> int:
    """Bytes taken by the distinct variables of `weights`."""
    return int(sum(math.prod(w.shape) * np.dtype(w.dtype).itemsize for w in _unique(weights)))


def format_shape(shape) -> str:
    """"(None, 26, 26, 32)"; a list of shapes (several outputs) as "[(None, 8), (None, 3)]"; "?" if unknown."""
    if shape is None:
        return "?"
    if len(shape) and all(isinstance(dim, (tuple, list)) for dim in shape):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    return "(" + ", ".join(_number(dim) for dim in shape) + ")"


def _column_widths(positions: Sequence[float], line_length: int) -> List[int]:
    """Column widths from cumulative positions (fractions of the line, or absolute when > 1)."""
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    widths, current = [], 0
    for position in positions:
        width = int(position) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    return widths


def _layer_cells(row: dict, functional: bool, show_trainable: bool, prefix: str) -> List[str]:
    name = rich.markup.escape(prefix + row["name"])
    cells = [f"{name} ({_symbol(rich.markup.escape(row['class_name']))})",
             format_shape(row.get("output_shape"))]
    params = _number(f"{row['params']:,}")
    cells.append(params if row.get("built", True) else params + " (unbuilt)")
    if functional:
        cells.append(", ".join(row.get("connected_to") or []) or "-")
    if show_trainable:
        if not row["params"]:
            cells.append(_bold("-"))
        else:
            cells.append(_bold("Y", color=34) if row["trainable"] else _bold("N", color=9))
    return cells


def _table_rows(rows: List[dict], functional: bool, show_trainable: bool, expand_nested: bool,
                level: int = 0) -> List[List[str]]:
    prefix = "   " * level + "└ " if level else ""
    table_rows = []
    for row in rows:
        table_rows.append(_layer_cells(row, functional, show_trainable, prefix))
        nested = row.get("nested")
        if expand_nested and nested is not None:
            table_rows += _table_rows(nested._summary_rows(), functional, show_trainable, expand_nested, level + 1)
    return table_rows


def _optimizer_variables(model) -> Optional[list]:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(optimizer, "built", False):
        return None
    return list(optimizer.variables)


def _totals_lines(model) -> List[str]:
    groups = [("Trainable params", list(model.trainable_weights)),
              ("Non-trainable params", list(model.non_trainable_weights))]
    optimizer_variables = _optimizer_variables(model)
    if optimizer_variables is not None:
        groups.append(("Optimizer params", optimizer_variables))
    counts = [(label, count_params(ws), weight_memory_size(ws)) for label, ws in groups]
    total = ("Total params", sum(c for _, c, _ in counts), sum(s for _, _, s in counts))
    return [_bold(f" {label}: ") + _number(f"{count:,}") + f" ({readable_memory_size(size)})"
            for label, count, size in [total] + counts]


def print_summary(model, line_length: Optional[int] = None, positions: Optional[Sequence[float]] = None,
                  print_fn: Optional[Callable[[str], None]] = None, expand_nested: bool = False,
                  show_trainable: bool = False) -> None:
    """Prints the summary of `model` (which provides `_summary_rows()` and `_is_functional`).

    Without `print_fn` it is printed on stdout (colours only on a terminal);
    with `print_fn`, the whole plain-text summary is passed to it in one call.
    """
    functional = bool(getattr(model, "_is_functional", False))
    if functional:
        default_line_length, default_positions = 108, [0.3, 0.56, 0.74, 1.0]
        header, justify = ["Layer (type)", "Output Shape", "Param #", "Connected to"], ["left", "left", "right", "left"]
    else:
        default_line_length, default_positions = 88, [0.45, 0.80, 1.0]
        header, justify = ["Layer (type)", "Output Shape", "Param #"], ["left", "left", "right"]
    positions = list(positions or default_positions)
    if show_trainable:
        default_line_length += 12
        positions = [p * 0.90 for p in positions] + [1.0] if positions[-1] <= 1 else positions + [positions[-1] + 12]
        header.append("Trainable")
        justify.append("center")
    line_length = line_length or min(default_line_length, shutil.get_terminal_size().columns - 4)

    widths = _column_widths(positions, line_length)
    columns = [rich.table.Column(name, justify=side, width=width) for name, side, width in zip(header, justify, widths)]
    table = rich.table.Table(*columns, width=line_length, show_lines=True)
    for cells in _table_rows(model._summary_rows(), functional, show_trainable, expand_nested):
        table.add_row(*cells)

    if print_fn is not None:
        console = rich.console.Console(highlight=False, force_terminal=False, color_system=None,
                                       width=max(line_length, shutil.get_terminal_size().columns))
        console.begin_capture()
    else:
        console = rich.console.Console(highlight=False)
    console.print(_bold(f'Model: "{rich.markup.escape(model.name)}"'))
    console.print(table)
    for line in _totals_lines(model):
        console.print(line)
    if print_fn is not None:
        print_fn(console.end_capture())
