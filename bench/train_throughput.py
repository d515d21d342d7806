"""Training throughput: latentlab's loop against a bare PyTorch loop, measured in the same run.

Both train the same model (MLP autoencoder 784-256-32-256-784, ReLU, sigmoid output, Adam,
MSE, batch 256) on the same data: Fashion-MNIST's 60k training images when the Debian package
is installed, else random images of the same shape. Epochs alternate between the two loops so
that machine noise hits both alike; the medians are compared.

    python bench/train_throughput.py [--epochs 3]

Target: latentlab / bare >= 0.9.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from latentlab.config import parse_params
from latentlab.data import FASHION_MNIST_DIR, batch_loader
from latentlab.models import build_model
from latentlab.training import make_optimizer, train_epoch

BATCH = 256
SPEC = {"model": {"hidden": [256], "latent": 32, "activation": "relu", "code_activation": "relu",
                  "output_activation": "sigmoid"},
        "optimizer": {"name": "Adam", "lr": 1e-3}, "batch_size": BATCH}


def load_images() -> tuple[np.ndarray, str]:
    if Path(FASHION_MNIST_DIR).is_dir():
        from latentlab.config import DataConfig
        from latentlab.data import load_fashion_mnist

        data = load_fashion_mnist(DataConfig(dataset="fashion_mnist"))
        return data.x[~data.test_mask], "Fashion-MNIST train (60000 x 784)"
    return np.random.default_rng(0).random((60_000, 784), dtype=np.float32), "random (60000 x 784)"


def bare_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 32), nn.ReLU(),
                         nn.Linear(32, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())


def bare_epoch(model: nn.Module, x: torch.Tensor, optimizer, generator: torch.Generator) -> None:
    """The loop a PyTorch tutorial writes: shuffle, slice, forward, MSE, backward, step."""
    perm = torch.randperm(len(x), generator=generator)
    for i in range(0, len(x), BATCH):
        xb = x[perm[i:i + BATCH]]
        loss = nn.functional.mse_loss(model(xb), xb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per loop")
    args = parser.parse_args()

    x, source = load_images()
    tensor = torch.from_numpy(x)
    labels = np.zeros(len(x), dtype=np.int64)

    cfg = parse_params({"variants": {"bench": SPEC}}).variant("bench")
    ours = build_model(cfg, 784, 10)
    ours_opt = make_optimizer(ours.parameters(), cfg.optimizer)
    loader = batch_loader(x, labels, batch_size=BATCH, shuffle=True, seed=0)
    noise = torch.Generator().manual_seed(1)
    bare = bare_model()
    bare_opt = torch.optim.Adam(bare.parameters(), lr=1e-3)
    shuffle = torch.Generator().manual_seed(0)

    runs = {
        "bare PyTorch loop": lambda: bare_epoch(bare, tensor, bare_opt, shuffle),
        "latentlab loop": lambda: train_epoch(ours, loader, ours_opt, cfg, noise, torch.device("cpu")),
    }
    for run in runs.values():  # warm-up: allocator, threads, first-call costs
        run()
    rates: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.epochs):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            rates[name].append(len(x) / (time.perf_counter() - start))

    print(f"data: {source}; model 784-256-32-256-784, Adam, batch {BATCH}, "
          f"{torch.get_num_threads()} threads, {args.epochs} timed epochs each (median)")
    for name, values in rates.items():
        print(f"  {name:18s} {statistics.median(values):9,.0f} samples/s  "
              f"(epochs: {', '.join(f'{v:,.0f}' for v in values)})")
    ratio = statistics.median(rates["latentlab loop"]) / statistics.median(rates["bare PyTorch loop"])
    print(f"ratio latentlab / bare: {ratio:.3f}  (target >= 0.9: {'met' if ratio >= 0.9 else 'MISSED'})")


if __name__ == "__main__":
    main()
