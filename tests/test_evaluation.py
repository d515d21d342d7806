"""Evaluation: probes, sparsity, denoising and classifier metrics on cases with known answers."""

import numpy as np
import pytest
import torch

from latentlab.config import CorruptionSpec, parse_params
from latentlab.evaluation import (
    denoising_metrics,
    evaluate_variant,
    probe_metrics,
    sparsity_metrics,
)
from latentlab.models import build_model


def blobs(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    x = (rng.normal(size=(n, 5)) + 4 * np.eye(3, 5)[y]).astype(np.float32)
    return x, y


def test_probes_read_separable_classes_and_fail_on_noise():
    x, y = blobs()
    good = probe_metrics(x[:200], y[:200], x[200:], y[200:], prefix="raw_")
    assert set(good) == {f"raw_probe_{p}_{m}" for p in ("logreg", "knn") for m in ("acc", "f1", "auroc")}
    assert good["raw_probe_logreg_acc"] > 0.95 and good["raw_probe_knn_auroc"] > 0.95
    noise = np.random.default_rng(1).normal(size=x.shape)
    bad = probe_metrics(noise[:200], y[:200], noise[200:], y[200:])
    assert bad["probe_logreg_acc"] < 0.6


def test_sparsity_metrics():
    codes = np.array([[0.0, 1.0], [0.0, 0.5], [0.02, 0.0], [0.0, 0.5]])
    m = sparsity_metrics(codes)
    assert m["code_mean_activation"] == pytest.approx(2.02 / 8)
    assert m["code_frac_near_zero"] == pytest.approx(5 / 8)
    assert m["code_unit_mean_min"] == pytest.approx(0.005) and m["code_unit_mean_max"] == pytest.approx(0.5)


class Identity(torch.nn.Module):
    """A 'model' that reconstructs its input unchanged: it removes no noise at all."""

    def reconstruct(self, x):
        return x


def test_denoise_gain_of_a_model_that_keeps_the_noise_is_one():
    x = np.random.default_rng(0).random((50, 10)).astype(np.float32)
    m = denoising_metrics(Identity(), x, CorruptionSpec(kind="gaussian", sigma=0.2))
    assert m["noisy_mse"] == pytest.approx(m["denoise_mse"]) and m["denoise_gain"] == pytest.approx(1.0)


def test_every_variant_kind_gets_its_metrics(digits_split):
    params = parse_params({"variants": {
        "ae": {}, "dae": {"corruption": {"kind": "gaussian"}}, "clf": {"objective": "classify"},
        "over": {"model": {"latent": 80}}}})
    train, test = digits_split["train"], digits_split["test"]
    for name, keys, absent in [
        ("ae", {"test_mse", "mse_vs_pca", "probe_knn_acc", "pca_probe_knn_acc", "code_mean_activation"},
         {"denoise_gain", "test_acc"}),
        ("dae", {"denoise_gain", "noisy_mse", "denoise_mse"}, {"test_acc"}),
        ("clf", {"test_acc", "test_auroc", "test_f1", "probe_logreg_acc"}, {"test_mse"}),
        ("over", {"test_mse", "pca_mse"}, {"mse_vs_pca", "pca_probe_knn_acc"}),  # k >= d: PCA is exact
    ]:
        cfg = params.variant(name)
        model = build_model(cfg, 64, 10).eval()
        metrics = evaluate_variant(model, cfg.corruption, train, test)
        assert keys <= set(metrics) and not absent & set(metrics), name
