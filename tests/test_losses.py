"""The loss terms against hand computations, and the denoising contract."""

import math

import pytest
import torch

from latentlab.config import CorruptionSpec, RegularizerSpec, parse_params
from latentlab.losses import corrupt, fixed_corruption, kl_sparsity, l1_sparsity, objective
from latentlab.models import build_model


def test_kl_sparsity_matches_a_hand_computation():
    z = torch.tensor([[0.1, 0.5], [0.3, 0.7]])  # rho_hat = (0.2, 0.6), the mean over the batch
    rho, beta = 0.1, 3.0
    by_hand = sum(rho * math.log(rho / r) + (1 - rho) * math.log((1 - rho) / (1 - r)) for r in (0.2, 0.6))
    assert kl_sparsity(z, rho, beta).item() == pytest.approx(beta * by_hand, rel=1e-6)


def test_kl_sparsity_is_zero_at_the_target_and_finite_at_the_edges():
    assert kl_sparsity(torch.full((4, 3), 0.05), 0.05, 3.0).item() == pytest.approx(0.0, abs=1e-6)
    edge = kl_sparsity(torch.tensor([[0.0, 1.0], [0.0, 1.0]]), 0.05, 1.0)
    assert torch.isfinite(edge)  # rho_hat is clamped away from 0 and 1


def test_l1_sparsity_matches_a_hand_computation():
    z = torch.tensor([[1.0, -2.0, 0.0], [0.5, 0.5, -1.0]])
    # sum_i |z_i| per sample = (3, 2); mean over the batch = 2.5
    assert l1_sparsity(z, 0.1).item() == pytest.approx(0.25)


def test_gaussian_corruption_returns_a_new_clipped_tensor():
    x = torch.rand(64, 10)
    original = x.clone()
    seeded = torch.Generator().manual_seed
    noisy = corrupt(x, CorruptionSpec(kind="gaussian", sigma=0.5, clip=True), seeded(0))
    assert torch.equal(x, original), "the clean input is untouched"
    assert not torch.equal(noisy, x)
    assert noisy.min() >= 0 and noisy.max() <= 1
    unclipped = corrupt(x, CorruptionSpec(kind="gaussian", sigma=0.5, clip=False), seeded(0))
    assert (unclipped - x).std().item() == pytest.approx(0.5, rel=0.1)


def test_masking_drops_about_p_of_the_inputs():
    x = torch.ones(200, 50)
    masked = corrupt(x, CorruptionSpec(kind="masking", p=0.3), torch.Generator().manual_seed(0))
    assert (masked == 0).float().mean().item() == pytest.approx(0.3, abs=0.02)
    assert torch.equal(x, torch.ones(200, 50))


def test_fixed_corruption_is_the_same_every_time():
    x = torch.rand(20, 8)
    spec = CorruptionSpec(kind="gaussian", sigma=0.2, seed=7)
    assert torch.equal(fixed_corruption(x, spec), fixed_corruption(x, spec))


def test_denoising_loss_targets_the_clean_input():
    cfg = parse_params({"variants": {"d": {"corruption": {"kind": "gaussian", "sigma": 0.3}}}}).variant("d")
    model = build_model(cfg, 16, 10)
    x = torch.rand(8, 16)
    noisy = corrupt(x, cfg.corruption, torch.Generator().manual_seed(1))
    loss = objective(model, noisy, x, torch.zeros(8, dtype=torch.long), cfg)
    expected = ((model.reconstruct(noisy) - x) ** 2).sum(dim=1).mean()  # L(x, g(f(x~))) per image
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    against_noisy = ((model.reconstruct(noisy) - noisy) ** 2).sum(dim=1).mean()
    assert loss.item() != pytest.approx(against_noisy.item(), rel=1e-3)


def test_sparse_objective_adds_the_penalty():
    sparse = {"model": {"code_activation": "sigmoid"}, "regularizer": {"kind": "kl", "rho": 0.05, "beta": 3}}
    cfg = parse_params({"variants": {"s": sparse}}).variant("s")
    model = build_model(cfg, 16, 10)
    x = torch.rand(8, 16)
    z = model.encode(x)
    expected = ((model.decode(z) - x) ** 2).sum(dim=1).mean() + kl_sparsity(z, 0.05, 3.0)
    loss = objective(model, x, x, torch.zeros(8, dtype=torch.long), cfg)
    assert loss.item() == pytest.approx(expected.item())


def test_overcomplete_sparse_config_validates():
    cfg = parse_params({"variants": {"over": {
        "model": {"latent": 128, "code_activation": "sigmoid"},
        "regularizer": {"kind": "kl", "rho": 0.05, "beta": 3.0},
        "corruption": {"kind": "masking", "p": 0.2}}}}).variant("over")
    assert cfg.model.latent == 128 and cfg.regularizer == RegularizerSpec(kind="kl", rho=0.05, beta=3.0)
    assert build_model(cfg, 64, 10).encode(torch.rand(2, 64)).shape == (2, 128)
