"""Loss terms: reconstruction, sparsity penalties, input corruption, and the full objective."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .config import CorruptionSpec, RegularizerSpec, TrainConfig
from .models import LatentModel

EPS = 1e-6  # keeps rho_hat away from 0 and 1 before the logs of the KL term


def reconstruction_loss(x_hat: torch.Tensor, x: torch.Tensor, kind: str) -> torch.Tensor:
    """L(x, x') per image, averaged over the batch: the squared error ||x - x'||^2 summed over
    the d inputs (mse), or the binary cross-entropy summed over them (bce).

    Summing over inputs, as the course and UFLDL write the loss, keeps the sparsity weights
    (beta, lam) on one scale whatever the input size: the same beta suits 64-D digits and
    784-D Fashion-MNIST. (Test metrics are still reported per pixel: test_mse.)
    """
    if kind == "bce":
        return F.binary_cross_entropy(x_hat, x, reduction="none").sum(dim=1).mean()
    return ((x_hat - x) ** 2).sum(dim=1).mean()


def kl_sparsity(z: torch.Tensor, rho: float, beta: float) -> torch.Tensor:
    """beta * sum_j KL(rho || rho_hat_j) for sigmoid codes z of shape (B, k).

    rho_hat_j is unit j's mean activation over the batch (dim 0); KL between Bernoullis:
    KL(rho || rho_hat) = rho log(rho / rho_hat) + (1 - rho) log((1 - rho) / (1 - rho_hat)).
    (Ng, CS294A lecture notes "Sparse autoencoder", section 2.3; UFLDL.)
    """
    rho_hat = z.mean(dim=0).clamp(EPS, 1 - EPS)  # (k,)
    kl = rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))
    return beta * kl.sum()


def l1_sparsity(z: torch.Tensor, lam: float) -> torch.Tensor:
    """lam * sum_i |z_i| per sample, averaged over the batch."""
    return lam * z.abs().sum(dim=1).mean()


def sparsity_penalty(z: torch.Tensor, spec: RegularizerSpec) -> torch.Tensor:
    if spec.kind == "kl":
        return kl_sparsity(z, spec.rho, spec.beta)
    if spec.kind == "l1":
        return l1_sparsity(z, spec.lam)
    return z.new_zeros(())


def corrupt(x: torch.Tensor, spec: CorruptionSpec, generator: torch.Generator | None = None) -> torch.Tensor:
    """x~ for a denoising autoencoder; a new tensor, x itself is never modified.

    gaussian: x~ = x + eps, eps ~ N(0, sigma^2), optionally clipped to [0, 1];
    masking:  each element is set to 0 with probability p.
    """
    if spec.kind == "gaussian":
        noisy = x + spec.sigma * torch.randn(x.shape, generator=generator, dtype=x.dtype)
        return noisy.clamp(0.0, 1.0) if spec.clip else noisy
    if spec.kind == "masking":
        keep = torch.rand(x.shape, generator=generator) >= spec.p
        return x * keep
    return x


def fixed_corruption(x, spec: CorruptionSpec) -> torch.Tensor:
    """The same corrupted copy every run: validation and test use it so numbers compare."""
    return corrupt(torch.as_tensor(x), spec, torch.Generator().manual_seed(spec.seed))


def objective(model: LatentModel, x_in: torch.Tensor, x_clean: torch.Tensor, y: torch.Tensor,
              cfg: TrainConfig) -> torch.Tensor:
    """The loss a variant minimises on one batch.

    reconstruct: L(x, g(f(x~))) + Omega(z): the target is always the clean input x.
    classify:    cross-entropy of the head's logits on the code z = f(x~).
    """
    z = model.encode(x_in)  # (B, k)
    if cfg.objective == "classify":
        return F.cross_entropy(model.head(z), y) + sparsity_penalty(z, cfg.regularizer)
    x_hat = model.decode(z)  # (B, d)
    return reconstruction_loss(x_hat, x_clean, cfg.loss) + sparsity_penalty(z, cfg.regularizer)
