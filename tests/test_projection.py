"""2-D maps and their scores."""

import numpy as np
import pytest
from sklearn.manifold import trustworthiness as sklearn_trustworthiness

from latentlab.config import EmbedConfig
from latentlab.projection import knn_accuracy, project, stratified_subsample, trustworthiness


def clusters(n_per=60, dim=6, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=6.0, size=(3, dim))
    x = np.concatenate([c + rng.normal(size=(n_per, dim)) for c in centres]).astype(np.float32)
    return x, np.repeat(np.arange(3), n_per)


def test_trustworthiness_equals_scikit_learn():
    rng = np.random.default_rng(1)
    high = rng.normal(size=(400, 8))
    low = high[:, :2] + 0.5 * rng.normal(size=(400, 2))
    for k in (1, 5, 12):
        assert trustworthiness(high, low, k, chunk=64) == pytest.approx(
            sklearn_trustworthiness(high, low, n_neighbors=k), abs=1e-12)


def test_knn_accuracy_is_leave_one_out():
    x, y = clusters()
    assert knn_accuracy(x, y, 5) == 1.0
    shuffled = np.random.default_rng(0).permutation(y)
    assert knn_accuracy(x, shuffled, 5) < 0.6


@pytest.mark.parametrize("method", ["pca", "tsne", "umap"])
def test_maps_are_2d_seeded_and_keep_clusters(method):
    x, y = clusters()
    cfg = EmbedConfig(perplexity=20, n_neighbors=10)
    a, b = project(x, method, cfg), project(x, method, cfg)
    assert a.shape == (len(x), 2)
    assert np.allclose(a, b), "the same seed gives the same map"
    assert knn_accuracy(a, y, 5) > 0.95
    assert trustworthiness(x, a, 5) > 0.8


def test_two_dimensional_codes_are_their_own_map():
    x = np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)
    assert np.array_equal(project(x, "tsne", EmbedConfig()), x)


def test_subsample_keeps_class_proportions():
    y = np.repeat([0, 1], [900, 100])
    keep = stratified_subsample(y, 200, seed=0)
    assert len(keep) == 200 and np.all(np.diff(keep) > 0)
    assert np.bincount(y[keep]).tolist() == [180, 20]
    assert len(stratified_subsample(y, 5000, seed=0)) == 1000
