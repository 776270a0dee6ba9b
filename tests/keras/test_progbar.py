"""Progbar: plain lines off-terminal, a live rich bar on terminals."""
import io
import re

import pytest
from rich.console import Console

from kerasish.utils import Progbar
from kerasish.utils.progbar import _format_eta, _format_time_per_unit

PLAIN_LINE = re.compile(r"^10/10 - \d+s - \d+(us|ms|s)/step - accuracy: 0\.9000 - loss: 0\.3000\n$")


def run(progbar, steps=10):
    for step in range(1, steps + 1):
        progbar.update(step, [("accuracy", 0.9), ("loss", 0.3)])


@pytest.mark.parametrize("verbose", [1, 2])
def test_one_plain_line_per_epoch_when_not_a_terminal(capsys, verbose):
    run(Progbar(10, verbose=verbose))
    out = capsys.readouterr().out
    assert PLAIN_LINE.match(out), out
    assert "\x1b" not in out


def test_verbose_0_is_silent(capsys):
    run(Progbar(10, verbose=0))
    assert capsys.readouterr().out == ""


def terminal():
    return Console(file=io.StringIO(), force_terminal=True, width=120, color_system="standard")


def test_live_bar_on_a_terminal():
    console = terminal()
    progbar = Progbar(4, verbose=1, interval=0.0, console=console)
    progbar.update(1, [("loss", 1.0)])
    progbar.update(2, [("loss", 3.0)])
    shown = console.file.getvalue()
    assert "\x1b[" in shown and "━" in shown
    assert "2/4" in shown and "loss: 2.0000" in shown
    progbar.update(4, [("loss", 0.5)])
    final = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", console.file.getvalue())
    assert re.search(r"4/4 ━{20} \d+s \d+(us|ms|s)/step - loss: 0\.5000", final)
    assert progbar._live is None


def test_stateful_metrics_are_not_averaged():
    console = terminal()
    progbar = Progbar(4, verbose=1, interval=0.0, stateful_metrics=["acc"], console=console)
    progbar.update(1, [("acc", 1.0), ("loss", 1.0)])
    progbar.update(2, [("acc", 0.5), ("loss", 2.0)])
    shown = console.file.getvalue()
    assert "acc: 0.5000" in shown and "loss: 1.5000" in shown
    progbar.update(4, finalize=True)


def test_unknown_target_and_add(capsys):
    progbar = Progbar(None, verbose=1, unit_name="sample")
    progbar.add(3, [("loss", 0.25)])
    progbar.add(2)
    assert capsys.readouterr().out == ""
    progbar.update(5, finalize=True)
    assert re.match(r"^      5/Unknown - \d+s - \d+(us|ms|s)/sample - loss: 0\.2500\n$", capsys.readouterr().out)


def test_small_values_use_scientific_notation(capsys):
    Progbar(1, verbose=2).update(1, [("loss", 1e-5)])
    assert "loss: 1.0000e-05" in capsys.readouterr().out


def test_time_formats():
    assert _format_time_per_unit(0.003, "step") == "3ms/step"
    assert _format_time_per_unit(2.4, "step") == "2s/step"
    assert _format_time_per_unit(5e-5, "step") == "50us/step"
    assert _format_eta(42) == "42s"
    assert _format_eta(125) == "2:05"
    assert _format_eta(3725) == "1:02:05"
