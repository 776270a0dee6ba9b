"""Seconds per training epoch of the MLP and the MNIST convnet: kerasish vs PyTorch (and Keras).

Same data (Fashion-MNIST when installed, else the embedded 8,000 MNIST digits), same
batch size, same optimizer (Adam, eps 1e-7), in one process, run one after the other.
Prints seconds/epoch (median of epochs 2..N), the ratio to PyTorch and the FLOP floor
(training FLOPs / measured NumPy GEMM rate). Usage:

    python benchmarks/bench_keras_epochs.py [--epochs 3] [--workload mlp cnn] [--record]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

import kerasish as keras


def load_data():
    try:
        (x, y), _ = keras.datasets.fashion_mnist.load_data()
        return x.astype("float32") / 255, y.astype("int64"), "Fashion-MNIST 60k"
    except (FileNotFoundError, OSError):
        (x, y), _ = keras.datasets.mnist.load_embedded()
        return x.astype("float32") / 255, y.astype("int64"), "embedded MNIST 8k"


def build(keras_module, workload: str):
    k = keras_module
    if workload == "mlp":
        return k.Sequential([k.Input(shape=(784,)), k.layers.Dense(512, activation="relu"),
                             k.layers.Dense(256, activation="relu"), k.layers.Dense(10)])
    return k.Sequential([k.Input(shape=(28, 28, 1)), k.layers.Conv2D(32, 3, activation="relu"), k.layers.MaxPooling2D(),
                         k.layers.Conv2D(64, 3, activation="relu"), k.layers.MaxPooling2D(), k.layers.Flatten(),
                         k.layers.Dropout(0.5), k.layers.Dense(10)])


def shaped(x, workload):
    return x.reshape(len(x), 784) if workload == "mlp" else x[..., None]


def time_keras(keras_module, workload, x, y, epochs, batch):
    model = build(keras_module, workload)
    model.compile(optimizer=keras_module.optimizers.Adam(1e-3, epsilon=1e-7),
                  loss=keras_module.losses.SparseCategoricalCrossentropy(from_logits=True))
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.fit(shaped(x, workload), y, batch_size=batch, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:] or times)


def time_torch(workload, x, y, epochs, batch):
    import torch
    from torch import nn

    torch.set_num_threads(os.cpu_count() or 1)
    if workload == "mlp":
        net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
        data = torch.from_numpy(x.reshape(len(x), 784))
    else:
        net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
        data = torch.from_numpy(x[:, None])
    labels = torch.from_numpy(y)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(len(data))
        for i in range(0, len(data), batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            loss_fn(net(data[idx]), labels[idx]).backward()
            opt.step()
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:] or times)


def gemm_rate() -> float:
    a, b = np.random.rand(128, 784).astype("float32"), np.random.rand(784, 512).astype("float32")
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    for _ in range(50):
        a @ b
    return 2 * 128 * 784 * 512 * 50 / (time.perf_counter() - start)


def train_flops(workload: str, n: int) -> float:
    """3 x forward multiply-adds x 2 (forward, input grad, weight grad) per sample."""
    if workload == "mlp":
        macs = 784 * 512 + 512 * 256 + 256 * 10
    else:
        macs = 26 * 26 * 9 * 32 + 11 * 11 * 9 * 32 * 64 + 1600 * 10
    return 3 * 2 * macs * n


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--workload", nargs="+", default=["mlp", "cnn"])
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--record", action="store_true", help="append the table to benchmarks/RESULTS.md")
    args = parser.parse_args()
    x, y, name = load_data()
    rate = gemm_rate()
    rows = []
    for workload in args.workload:
        keras.utils.set_random_seed(0)
        ours = time_keras(keras, workload, x, y, args.epochs, args.batch)
        try:
            theirs = time_torch(workload, x, y, args.epochs, args.batch)
        except ImportError:
            theirs = float("nan")
        floor = train_flops(workload, len(x)) / rate
        rows.append(f"| {workload} | {name} | {ours:.2f} s | {theirs:.2f} s | {ours / theirs:.2f}x | {floor:.2f} s ({ours / floor:.1f}x) |")
    table = "\n".join(["| workload | data | kerasish s/epoch | PyTorch s/epoch | ratio | GEMM floor (distance) |",
                       "| --- | --- | --- | --- | --- | --- |"] + rows)
    print(f"NumPy GEMM rate (128x784x512): {rate / 1e9:.0f} GFLOP/s")
    print(table)
    if args.record:
        with open(os.path.join(os.path.dirname(__file__), "RESULTS.md"), "a", encoding="utf-8") as out:
            out.write(f"\n## Keras-API training epochs ({time.strftime('%Y-%m-%d')}, batch {args.batch}, "
                      f"{args.epochs} epochs, GEMM {rate / 1e9:.0f} GFLOP/s)\n\n"
                      f"`python benchmarks/bench_keras_epochs.py --epochs {args.epochs} --record`\n\n{table}\n")


if __name__ == "__main__":
    main()
