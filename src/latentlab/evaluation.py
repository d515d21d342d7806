"""Test metrics of a trained variant and the PCA baseline of the same code size.

Metric names are stable (DVC metrics, the report and MLflow share them): `test_mse`,
`test_rmse`, `pca_mse`, `mse_vs_pca` (= test_mse / pca_mse; below 1 beats PCA).
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA

from .models import LatentModel, apply_in_batches


def mse(a: np.ndarray, b: np.ndarray) -> float:
    """Mean squared error per element, i.e. ||x - x'||^2 / d averaged over samples."""
    return float(np.mean((np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)) ** 2))


def reconstruct(model: LatentModel, x: np.ndarray) -> np.ndarray:
    return apply_in_batches(model.reconstruct, x).numpy()


def encode(model: LatentModel, x: np.ndarray) -> np.ndarray:
    return apply_in_batches(model.encode, x).numpy()


def pca_reconstruction(x_train: np.ndarray, x_test: np.ndarray, k: int) -> np.ndarray:
    """x_test projected onto the top-k principal subspace of x_train and mapped back."""
    pca = PCA(n_components=min(k, *x_train.shape), random_state=0).fit(x_train)
    return pca.inverse_transform(pca.transform(x_test))


def reconstruction_metrics(model: LatentModel, x_train: np.ndarray, x_test: np.ndarray) -> dict:
    """Test MSE/RMSE of the model beside PCA with as many components as the model's code."""
    k = model.latent_dim
    test_mse = mse(reconstruct(model, x_test), x_test)
    pca_mse = mse(pca_reconstruction(x_train, x_test, k), x_test)
    return {
        "test_mse": test_mse,
        "test_rmse": float(np.sqrt(test_mse)),
        "pca_mse": pca_mse,
        "mse_vs_pca": test_mse / pca_mse if pca_mse > 0 else float("nan"),
        "latent_dim": k,
    }
