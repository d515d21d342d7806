"""Latent codes to 2-D maps (PCA, t-SNE, UMAP) and how faithful each map is.

PCA keeps the directions of largest variance; t-SNE and UMAP keep neighbourhoods. Each map is
scored by trustworthiness (are a point's 2-D neighbours also its neighbours in the code
space?) and by leave-one-out kNN accuracy of the class labels in 2-D.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import pkgutil
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors

from .config import EmbedConfig

log = logging.getLogger(__name__)
logging.getLogger("openTSNE").setLevel(logging.WARNING)  # it logs its own init choices at INFO


def pca_2d(codes: np.ndarray, cfg: EmbedConfig) -> np.ndarray:
    return PCA(n_components=2, random_state=cfg.seed).fit_transform(codes)


def tsne_2d(codes: np.ndarray, cfg: EmbedConfig) -> np.ndarray:
    """openTSNE, chosen for speed on few cores (10k 32-D codes, 2 cores, bench/embed_speed.py):

    - exact neighbours (1.6 s) instead of its default Annoy index (7.9 s) for the affinities;
    - Barnes-Hut gradients, faster than its default FFT below ~50k points on 2 cores;
    - 200 + 200 iterations (early exaggeration, then the rest) instead of openTSNE's 250 + 500
      or scikit-learn's 1000: trustworthiness is settled by then (0.9979 against 0.9978).
    """
    from openTSNE import TSNE

    perplexity = min(cfg.perplexity, (len(codes) - 1) / 3)  # openTSNE needs 3 * perplexity < n
    tsne = TSNE(perplexity=perplexity, early_exaggeration_iter=cfg.tsne_early_iter, n_iter=cfg.tsne_iter,
                neighbors="exact", negative_gradient_method="bh", random_state=cfg.seed,
                n_jobs=os.cpu_count() or 1, verbose=False)
    return np.asarray(tsne.fit(codes.astype(np.float64)))


def umap_2d(codes: np.ndarray, cfg: EmbedConfig) -> np.ndarray:
    """umap-learn, seeded; its kNN graph computed exactly by scikit-learn (see `import_umap`)."""
    umap = import_umap()
    n_neighbors = min(cfg.n_neighbors, len(codes) - 1)
    knn = None
    if not PLAIN_UMAP:
        # (indices, distances) with each point its own first neighbour, as umap expects; this
        # skips pynndescent, whose per-call compiled closures numba cannot cache.
        distances, indices = NearestNeighbors(n_neighbors=n_neighbors).fit(codes).kneighbors(codes)
        knn = (indices, distances.astype(np.float32))
    reducer = umap.UMAP(n_components=2, n_neighbors=n_neighbors, min_dist=cfg.min_dist,
                        random_state=cfg.seed, n_jobs=1, precomputed_knn=knn or (None, None, None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # umap warns about its own defaults (n_jobs, seeds, knn index)
        return reducer.fit_transform(codes)


PROJECTIONS: dict[str, Callable[[np.ndarray, EmbedConfig], np.ndarray]] = {
    "pca": pca_2d,
    "tsne": tsne_2d,
    "umap": umap_2d,
}


def project(codes: np.ndarray, method: str, cfg: EmbedConfig) -> np.ndarray:
    """(n, k) codes -> (n, 2) float32 map; a 2-D code is its own map."""
    if codes.shape[1] == 2:
        return codes.astype(np.float32)
    return PROJECTIONS[method](codes, cfg).astype(np.float32)


def timed_projection(codes: np.ndarray, method: str, cfg: EmbedConfig) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    points = project(codes, method, cfg)
    return points, time.perf_counter() - start


def project_all(codes: np.ndarray, methods: list[str],
                cfg: EmbedConfig) -> dict[str, tuple[np.ndarray, float]]:
    """method -> (map, seconds) for every method.

    A seeded UMAP runs on one thread, so it runs in a second process while this one computes
    the other maps (t-SNE keeps both cores busy); on 2 cores that saves most of UMAP's time.
    """
    if "umap" not in methods or len(methods) == 1:
        return {m: timed_projection(codes, m, cfg) for m in methods}
    spawn = multiprocessing.get_context("spawn")  # a clean child: no forked torch/OpenMP state
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        umap_future = pool.submit(timed_projection, codes, "umap", cfg)
        results = {m: timed_projection(codes, m, cfg) for m in methods if m != "umap"}
        results["umap"] = umap_future.result()
    return {m: results[m] for m in methods}


_umap_ready = False
# LATENTLAB_PLAIN_UMAP=1: umap as it comes (no on-disk JIT cache, its own neighbour search),
# to measure what the two measures below save.
PLAIN_UMAP = os.environ.get("LATENTLAB_PLAIN_UMAP") == "1"


def import_umap():
    """umap, with every numba function it compiles cached on disk once per machine.

    umap-learn and pynndescent define ~250 numba functions and most lack `cache=True`, so each
    fresh Python process compiles them again in its first fit: ~13 s for digits and ~40 s for
    10k points here, paid once per variant since DVC runs each embed stage in its own process.
    Turning on numba's on-disk cache for every dispatcher before the first call makes that a
    one-time cost (the cache lives in numba's usual place, __pycache__ beside the code, and is
    invalidated by numba itself when that code changes).
    """
    global _umap_ready
    import umap

    if not _umap_ready and not PLAIN_UMAP:
        import pynndescent
        from numba.core.registry import CPUDispatcher

        for package in (umap, pynndescent):
            for module in _submodules(package):
                for obj in vars(module).values():
                    if isinstance(obj, CPUDispatcher) and obj._cache.__class__.__name__ != "FunctionCache":
                        obj.enable_caching()
        _umap_ready = True
    return umap


_SKIPPED = ("plot", "parametric_umap", "aligned_umap", "tests")  # extras we do not call


def _submodules(package):
    yield package
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if any(part in _SKIPPED for part in info.name.split(".")):
            continue
        try:
            yield importlib.import_module(info.name)
        except Exception:  # optional extras (umap.plot, parametric_umap) need packages we lack
            continue


# --- quality of a map ----------------------------------------------------------------------


def trustworthiness(high: np.ndarray, low: np.ndarray, k: int = 5, chunk: int = 256) -> float:
    """Venna & Kaski's trustworthiness T(k), as sklearn.manifold.trustworthiness, in bounded memory.

        T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in N_k^low(i)} max(0, r(i, j) - k)

    where r(i, j) is the rank of j among i's neighbours in the high-dimensional space. Ranks are
    counted row chunk by row chunk, so memory is O(chunk * n), not the O(n^2) of a full argsort.
    """
    n = len(high)
    high = np.asarray(high, dtype=np.float64)
    low_neighbours = NearestNeighbors(n_neighbors=k).fit(low).kneighbors(return_distance=False)
    penalty = 0.0
    sq_norms = (high ** 2).sum(1)
    for start in range(0, n, chunk):
        rows = np.arange(start, min(start + chunk, n))
        # squared distances (chunk, n); self set to inf so it is nobody's neighbour
        dist = sq_norms[rows, None] - 2 * high[rows] @ high.T + sq_norms[None, :]
        dist[np.arange(len(rows)), rows] = np.inf
        to_neighbours = np.take_along_axis(dist, low_neighbours[rows], axis=1)  # (chunk, k)
        ranks = (dist[:, None, :] < to_neighbours[:, :, None]).sum(-1) + 1  # (chunk, k), 1-based
        penalty += np.maximum(ranks - k, 0).sum()
    return float(1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty)


def knn_accuracy(points: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    """Leave-one-out kNN accuracy: each point voted on by its k nearest other points."""
    neighbours = NearestNeighbors(n_neighbors=k).fit(points).kneighbors(return_distance=False)
    votes = labels[neighbours]  # (n, k)
    n_classes = int(labels.max()) + 1
    counts = np.apply_along_axis(np.bincount, 1, votes, minlength=n_classes)  # (n, C)
    return float(np.mean(counts.argmax(1) == labels))


def stratified_subsample(labels: np.ndarray, max_points: int, seed: int) -> np.ndarray:
    """Sorted indices of at most `max_points` rows, keeping the class proportions."""
    n = len(labels)
    if n <= max_points:
        return np.arange(n)
    from sklearn.model_selection import train_test_split

    keep, _ = train_test_split(np.arange(n), train_size=max_points, stratify=labels, random_state=seed)
    return np.sort(keep)
