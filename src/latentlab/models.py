"""One model type, built from a `ModelSpec`: every variant is a choice of sizes and activations.

    encoder:  h = f(W1 x + b1), ..., z = g(Wk h + bk)           (B, d) -> (B, k)
    decoder:  h' = f(W z + b), ..., x' = o(W' h' + b')          (B, k) -> (B, d)
    head:     logits = W z + b                                  (B, k) -> (B, C)

A reconstruct objective gets a decoder that mirrors the encoder; a classify objective gets a
linear head on the same k-D bottleneck instead (the supervised latent space of the course).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import torch
from torch import nn

from .config import ModelSpec, TrainConfig

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "identity": nn.Identity,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
}


def mlp(sizes: list[int], activation: str, last_activation: str) -> nn.Sequential:
    """Linear layers through `sizes`; `activation` after each but the last, which gets its own."""
    layers: list[nn.Module] = []
    n_layers = len(sizes) - 1
    for i, (n_in, n_out) in enumerate(pairwise(sizes)):
        layers.append(nn.Linear(n_in, n_out))
        act = last_activation if i == n_layers - 1 else activation
        if act != "identity":
            layers.append(ACTIVATIONS[act]())
    return nn.Sequential(*layers)


class LatentModel(nn.Module):
    """An encoder to a k-D code with a decoder (autoencoder) or a linear head (classifier)."""

    def __init__(self, spec: ModelSpec, input_dim: int, n_classes: int | None = None):
        super().__init__()
        self.latent_dim = spec.latent
        self.encoder = mlp([input_dim, *spec.hidden, spec.latent], spec.activation, spec.code_activation)
        self.decoder = None
        self.head = None
        if n_classes is None:
            sizes = [spec.latent, *reversed(spec.hidden), input_dim]
            self.decoder = mlp(sizes, spec.activation, spec.output_activation)
        else:
            self.head = nn.Linear(spec.latent, n_classes)

    @property
    def is_classifier(self) -> bool:
        return self.head is not None

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)  # (B, d) -> (B, k)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        if self.decoder is None:
            raise TypeError("a classifier has no decoder")
        return self.decoder(z)  # (B, k) -> (B, d)

    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))

    def classify(self, x: torch.Tensor) -> torch.Tensor:
        if self.head is None:
            raise TypeError("an autoencoder has no classification head")
        return self.head(self.encode(x))  # (B, d) -> (B, C) logits

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """What serving the model returns: the reconstruction, or the class logits."""
        return self.classify(x) if self.is_classifier else self.reconstruct(x)


def build_model(cfg: TrainConfig, input_dim: int, n_classes: int) -> LatentModel:
    """The variant's model, initialised from its seed (the same config gives the same weights)."""
    torch.manual_seed(cfg.seed)
    return LatentModel(cfg.model, input_dim, n_classes if cfg.objective == "classify" else None)


@torch.no_grad()
def apply_in_batches(fn, x, batch_size: int = 4096) -> torch.Tensor:
    """fn over the rows of x (array or tensor) in eval batches; the results concatenated."""
    outputs = [fn(_as_tensor(x[i:i + batch_size])) for i in range(0, len(x), batch_size)]
    return torch.cat(outputs)


def _as_tensor(rows) -> torch.Tensor:
    # np.array copies, so read-only memory-mapped rows become a writable tensor
    return rows if isinstance(rows, torch.Tensor) else torch.from_numpy(np.array(rows))
