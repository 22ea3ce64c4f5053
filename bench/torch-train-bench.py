#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch's side of bench/nns-train-bench.c (run with Debian's /usr/bin/python3).

One Fashion-MNIST epoch of 784 -> 256 -> 128 -> 10 ReLU, Adam 1e-3, batch 128,
nn.CrossEntropyLoss, shuffled each epoch, pixels / 255 -- at 1 and 2 threads
(torch.set_num_threads), as samples per second.  --epochs=N trains N epochs
and prints the test accuracy after each.
"""

import gzip
import sys
import time

import numpy as np
import torch
import torch.nn as nn

DIR = "/usr/share/datasets/fashion-mnist"


def idx(name, offset):
    with gzip.open("%s/%s" % (DIR, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load(prefix):
    x = idx(prefix + "-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255
    y = idx(prefix + "-labels-idx1-ubyte.gz", 8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def model():
    torch.manual_seed(1)
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                         nn.Linear(128, 10))


def epoch(net, opt, x, y, gen):
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(x), generator=gen)
    for start in range(0, len(x), 128):
        i = order[start:start + 128]
        opt.zero_grad()
        loss = loss_fn(net(x[i]), y[i])
        loss.backward()
        opt.step()
    return loss.item()


def main():
    threads, epochs = [1, 2], 0
    for arg in sys.argv[1:]:
        if arg.startswith("--threads="):
            threads = [int(t) for t in arg.split("=", 1)[1].split(",")]
        elif arg.startswith("--epochs="):
            epochs = int(arg.split("=", 1)[1])
    x, y = load("train")
    tx, ty = load("t10k")
    if epochs:
        torch.set_num_threads(threads[0])
        net = model()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        gen = torch.Generator().manual_seed(1)
        for e in range(epochs):
            start = time.perf_counter()
            epoch(net, opt, x, y, gen)
            with torch.no_grad():
                acc = (net(tx).argmax(1) == ty).float().mean().item()
            print("pytorch epoch %d: test accuracy %.2f %% (%.1f s)"
                  % (e + 1, 100 * acc, time.perf_counter() - start), flush=True)
        return
    for n in threads:
        torch.set_num_threads(n)
        net = model()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        gen = torch.Generator().manual_seed(1)
        start = time.perf_counter()
        epoch(net, opt, x, y, gen)
        took = time.perf_counter() - start
        print("pytorch  %d thread%s: %8.0f samples/s  (epoch %.2f s; torch %s)"
              % (n, " " if n == 1 else "s", len(x) / took, took, torch.__version__), flush=True)


if __name__ == "__main__":
    main()
