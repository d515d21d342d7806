"""The course's correctness check: a linear autoencoder trained with MSE spans the PCA subspace,
so its test MSE equals PCA's at the same k (within 3%); a non-linear deep one beats PCA."""

import yaml

from latentlab.config import parse_params
from latentlab.evaluation import fit_pca, reconstruction_metrics
from latentlab.models import build_model
from latentlab.training import fit

from .conftest import ROOT


def train_variant(name, digits_split):
    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    raw["data"]["dataset"] = "digits"  # the shipped digits settings, whatever the workspace runs
    cfg = parse_params(raw).variant(name)
    model = build_model(cfg, input_dim=64, n_classes=10)
    fit(model, digits_split["train"], digits_split["val"], cfg)
    pca = fit_pca(digits_split["train"][0], cfg.model.latent)
    return reconstruction_metrics(model.eval(), digits_split["test"][0], pca)


def test_linear_autoencoder_matches_pca(digits_split):
    metrics = train_variant("linear", digits_split)
    assert abs(metrics["mse_vs_pca"] - 1.0) <= 0.03, metrics


def test_deep_autoencoder_beats_pca(digits_split):
    metrics = train_variant("deep", digits_split)
    assert metrics["mse_vs_pca"] < 0.8, metrics
