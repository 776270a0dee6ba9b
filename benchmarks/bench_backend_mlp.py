"""Times one compiled training step of a 784-512-256-10 ReLU MLP (batch 128, Adam, softmax
cross-entropy) on kerasish.backend, against the step's GEMMs alone in NumPy and, when torch
is importable, the same step in PyTorch. Profiles the backend's plan steps by op.

Run: python benchmarks/bench_backend_mlp.py [--steps 200] [--no-write]
Writes (or replaces) its section in benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Optional, Tuple

import numpy as np

import kerasish.backend as tf

SIZES = (784, 512, 256, 10)
BATCH = 128
LEARNING_RATE = 1e-3
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN, END = "<!-- bench_backend_mlp: begin -->", "<!-- bench_backend_mlp: end -->"


def data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.random((BATCH, SIZES[0]), dtype=np.float32)
    labels = np.eye(SIZES[-1], dtype=np.float32)[rng.integers(0, SIZES[-1], BATCH)]
    return x, labels


def median_seconds(step: Callable[[], object], repeats: int, warmup: int = 5) -> float:
    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---- kerasish.backend ---------------------------------------------------------------------
def backend_step():
    """(session, run-one-step callable) for the MLP training step on kerasish.backend."""
    tf.reset_default_graph()
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, SIZES[0]], name="x")
    y = tf.placeholder(tf.float32, [None, SIZES[-1]], name="y")
    h = x
    for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        with tf.name_scope(f"dense{i}"):
            w = tf.Variable(tf.random_normal([n_in, n_out], stddev=np.sqrt(2.0 / n_in)), name="w")
            b = tf.Variable(tf.zeros([n_out]), name="b")
            h = tf.matmul(h, w) + b
            if i < len(SIZES) - 2:
                h = tf.nn.relu(h)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=h))
    train = tf.train.AdamOptimizer(LEARNING_RATE).minimize(loss)
    sess = tf.Session()
    x_data, y_data = data()
    feed = {x: x_data, y: y_data}
    return sess, lambda: sess.run([loss, train], feed)


def plan_of(sess):
    """The one compiled plan the session built for the step."""
    (function,) = sess._functions.values()
    (plan,) = function.plans.values()
    return plan


def _op_label(line: str) -> str:
    token = line.split()[1]
    return re.split(r"\(%|\(\)", token)[0]


def time_by_op(sess, step: Callable[[], object], repeats: int) -> Tuple[dict, float]:
    """Seconds per training step in each op kind's kernels (plan steps wrapped with timers), and
    the whole step's mean seconds in those same runs."""
    plan = plan_of(sess)
    totals: dict = defaultdict(float)
    original = list(plan.steps)

    def timed(fn, label):
        def run(*args, **kwargs):
            start = time.perf_counter()
            result = fn(*args, **kwargs)
            totals[label] += time.perf_counter() - start
            return result
        return run

    plan.steps = [(timed(fn, _op_label(line)), *rest) for (fn, *rest), line in zip(original, plan.lines)]
    try:
        start = time.perf_counter()
        for _ in range(repeats):
            step()
        wall = (time.perf_counter() - start) / repeats
    finally:
        plan.steps = original
    return {label: seconds / repeats for label, seconds in totals.items()}, wall


def cprofile_top(step: Callable[[], object], repeats: int, limit: int = 15) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeats):
        step()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(limit)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join(line.replace(str(Path(tf.__file__).parent), "backend") for line in lines[start:])


# ---- NumPy: the step's GEMMs alone --------------------------------------------------------
def numpy_gemms():
    """The 8 GEMMs one step needs: 3 forward, and backward 3 weight gradients + 2 activation
    gradients (none for the input). Shapes and dtype (float32) as in the backend step."""
    rng = np.random.default_rng(0)
    x, _ = data()
    ws = [rng.standard_normal((a, b), dtype=np.float32) for a, b in zip(SIZES[:-1], SIZES[1:])]
    hs = [x, rng.random((BATCH, SIZES[1]), dtype=np.float32), rng.random((BATCH, SIZES[2]), dtype=np.float32)]
    ds = [rng.random((BATCH, n), dtype=np.float32) for n in SIZES[1:]]

    def step():
        for h, w in zip(hs, ws):
            h @ w
        for i in range(3):
            hs[i].T @ ds[i]
            if i > 0:
                ds[i] @ ws[i].T

    return step


# ---- PyTorch ------------------------------------------------------------------------------
def torch_step() -> Optional[Callable[[], object]]:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(0)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i < len(SIZES) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    x_data, y_data = data()
    x, y = torch.from_numpy(x_data), torch.from_numpy(y_data.argmax(1))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


# ---- report -------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas = "unknown"
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]["name"]
    except (TypeError, KeyError):
        pass
    parts = [f"{cpu}, {os.cpu_count()} cores (1-minute load average {os.getloadavg()[0]:.1f})",
             f"Python {platform.python_version()}", f"NumPy {np.__version__} ({blas})"]
    try:
        import torch
        parts.append(f"PyTorch {torch.__version__}")
    except ImportError:
        pass
    return "; ".join(parts)


def report(figures: dict, by_op: dict, wall: float, profile: str, steps: int, command: str) -> str:
    ms = {k: v * 1e3 for k, v in figures.items()}
    rows = [f"| kerasish.backend step (Session.run) | {ms['backend']:.2f} ms |",
            f"| NumPy, the step's 8 GEMMs alone | {ms['gemm']:.2f} ms |"]
    ratios = [f"- backend / NumPy GEMMs: **{figures['backend'] / figures['gemm']:.2f}x**"]
    if "torch" in figures:
        rows.append(f"| PyTorch step ({os.cpu_count()} threads) | {ms['torch']:.2f} ms |")
        ratios.append(f"- backend / PyTorch: **{figures['backend'] / figures['torch']:.2f}x**")
    else:
        ratios.append("- backend / PyTorch: not measured (torch not importable)")
    kernel_total = sum(by_op.values())
    op_rows = [f"| {label} | {seconds * 1e3:.3f} | {100 * seconds / wall:.1f}% |"
               for label, seconds in sorted(by_op.items(), key=lambda kv: -kv[1])]
    return "\n".join([
        BEGIN,
        "## Backend MLP training step (`bench_backend_mlp.py`)",
        "",
        "One training step of a 784-512-256-10 ReLU MLP, batch 128, float32, Adam, softmax cross-entropy,",
        f"median of {steps} steps after warm-up.",
        "",
        f"- Machine: {machine()}",
        f"- Command: `{command}`",
        "",
        "| what | time per step |",
        "| --- | --- |",
        *rows,
        "",
        *ratios,
        "",
        "Where the backend step's time goes: each plan step's kernel timed, grouped by op ('fused(...)' is",
        f"an elementwise chain the compiler fused). In these timed runs a step took {wall * 1e3:.2f} ms (mean),",
        f"{kernel_total * 1e3:.2f} ms of it in kernels; the other {(wall - kernel_total) * 1e3:.2f} ms is Session.run,",
        "plan dispatch and the timers themselves.",
        "",
        "| op | ms per step | share of the step |",
        "| --- | --- | --- |",
        *op_rows,
        "",
        "cProfile of Session.run over the same steps (top functions by own time):",
        "",
        "```",
        profile,
        "```",
        END,
    ])


def write_section(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=200, help="timed steps per measurement")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args(argv)

    sess, step = backend_step()
    figures = {"backend": median_seconds(step, args.steps), "gemm": median_seconds(numpy_gemms(), args.steps)}
    torch_fn = torch_step()
    if torch_fn is not None:
        figures["torch"] = median_seconds(torch_fn, args.steps)
    by_op, wall = time_by_op(sess, step, args.steps)
    profile = cprofile_top(step, min(args.steps, 50))
    command = "python benchmarks/bench_backend_mlp.py" + (f" --steps {args.steps}" if args.steps != 200 else "")
    section = report(figures, by_op, wall, profile, args.steps, command)
    print(section)
    if not args.no_write:
        write_section(section)
    return figures


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
