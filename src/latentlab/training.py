"""The fit loop: epochs x batches, validation every epoch, early stopping, best state kept.

    for epoch in 1..E:
        for (x, y) in shuffled batches:   x~ = corrupt(x);  loss = objective(x~, x, y);  step
        val_loss = objective on the fixed validation set (fixed corruption, no gradients)
        keep the weights if val_loss is the best so far; stop after `patience` epochs without one
"""

from __future__ import annotations

import copy
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from tqdm.auto import tqdm

from .config import OptimizerSpec, TrainConfig, optimizer_class
from .data import batch_loader
from .losses import corrupt, objective
from .models import LatentModel

log = logging.getLogger(__name__)

EpochCallback = Callable[[dict], None]


@dataclass
class FitResult:
    best_state: dict[str, torch.Tensor]
    best_epoch: int
    best_val_loss: float
    history: list[dict] = field(default_factory=list)  # one row per epoch
    stopped_early: bool = False


def make_optimizer(params, spec: OptimizerSpec) -> torch.optim.Optimizer:
    return optimizer_class(spec.name)(params, lr=spec.lr, weight_decay=spec.weight_decay, **spec.kwargs)


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def train_epoch(model: LatentModel, loader, optimizer, cfg: TrainConfig,
                noise: torch.Generator, device: torch.device) -> float:
    """One pass over the shuffled training batches; the mean loss per sample."""
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        x_in = corrupt(x, cfg.corruption, noise)  # a fresh corruption every batch
        x, x_in, y = x.to(device), x_in.to(device), y.to(device)
        loss = objective(model, x_in, x, y, cfg)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(x)
        count += len(x)
    return total / count


@torch.no_grad()
def validation_loss(model: LatentModel, loader, cfg: TrainConfig, device: torch.device) -> float:
    """Mean loss per sample on the validation batches, under the same seeded corruption every
    epoch (the batches come in a fixed order), so epochs and runs compare."""
    model.eval()
    noise = torch.Generator().manual_seed(cfg.corruption.seed)
    total, count = 0.0, 0
    for x, y in loader:
        x_in = corrupt(x, cfg.corruption, noise)
        loss = objective(model, x_in.to(device), x.to(device), y.to(device), cfg)
        total += loss.item() * len(x)
        count += len(x)
    return total / count


def fit(model: LatentModel, train: tuple, val: tuple, cfg: TrainConfig,
        on_epoch: EpochCallback | None = None) -> FitResult:
    """Train `model` in place; return the best state by validation loss and the history.

    `train` and `val` are (x, y) pairs; x an array in memory or `DiskRows` streamed from disk.
    """
    device = resolve_device(cfg.device)
    model.to(device)
    optimizer = make_optimizer(model.parameters(), cfg.optimizer)
    train_loader = batch_loader(*train, batch_size=cfg.batch_size, shuffle=True, seed=cfg.seed)
    val_loader = batch_loader(*val, batch_size=max(cfg.batch_size, 1024), shuffle=False)
    noise = torch.Generator().manual_seed(cfg.seed + 1)

    result = FitResult(best_state={}, best_epoch=0, best_val_loss=float("inf"))
    since_best = 0
    progress = EpochProgress(cfg.epochs)
    for epoch in range(1, cfg.epochs + 1):
        start = time.perf_counter()
        train_loss = train_epoch(model, train_loader, optimizer, cfg, noise, device)
        val_loss = validation_loss(model, val_loader, cfg, device)
        row = {"epoch": epoch, "train_loss": train_loss, "val_loss": val_loss,
               "seconds": time.perf_counter() - start}
        result.history.append(row)
        if val_loss < result.best_val_loss - cfg.min_delta:
            result.best_state = copy.deepcopy(model.state_dict())
            result.best_epoch, result.best_val_loss, since_best = epoch, val_loss, 0
        else:
            since_best += 1
        progress.update(row, result.best_epoch)
        if on_epoch:
            on_epoch(row)
        if cfg.patience is not None and since_best >= cfg.patience:
            result.stopped_early = True
            log.info("early stop at epoch %d: no improvement for %d epochs", epoch, cfg.patience)
            break
    progress.close()
    model.load_state_dict(result.best_state)
    return result


class EpochProgress:
    """A tqdm bar over epochs on a terminal; a plain log line per epoch otherwise (DVC logs, CI)."""

    def __init__(self, n_epochs: int):
        self.n_epochs = n_epochs
        self.bar = tqdm(total=n_epochs, desc="epochs", unit="ep") if sys.stderr.isatty() else None

    def update(self, row: dict, best_epoch: int) -> None:
        if self.bar is not None:
            self.bar.update()
            self.bar.set_postfix(train=f"{row['train_loss']:.5f}", val=f"{row['val_loss']:.5f}",
                                 best=best_epoch)
        else:
            log.info("epoch %d/%d  train_loss %.6f  val_loss %.6f  best %d  (%.2fs)", row["epoch"],
                     self.n_epochs, row["train_loss"], row["val_loss"], best_epoch, row["seconds"])

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
