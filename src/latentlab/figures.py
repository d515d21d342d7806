"""Which figures a variant gets, computed from its model, codes and maps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from . import plots
from .checkpoint import Checkpoint
from .evaluation import reconstruct
from .losses import fixed_corruption
from .models import LatentModel, apply_in_batches

MAP_TITLES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP", "latent": "2-D latent code"}
MAX_UNITS = 64  # unit images shown, most variable units first
DEAD_SPREAD = 1e-3  # a unit whose code varies less than this over the test set is not shown


@dataclass
class VariantOutputs:
    """What the earlier stages left for one variant."""

    variant: str
    ckpt: Checkpoint
    meta: dict  # data/split/meta.json
    history: pd.DataFrame
    maps: dict[str, np.ndarray]  # method -> (n, 2)
    map_labels: np.ndarray
    codes_test: np.ndarray  # (n_test, k)
    test: tuple[np.ndarray, np.ndarray]


def one_per_class(y: np.ndarray, limit: int = 10) -> np.ndarray:
    """Index of the first sample of each class present (up to `limit` classes)."""
    return np.array([np.flatnonzero(y == c)[0] for c in np.unique(y)][:limit])


@torch.no_grad()
def decoder_unit_images(model: LatentModel, codes: np.ndarray, limit: int = MAX_UNITS) -> np.ndarray:
    """decode(z_mean + 2 s_j e_j) - decode(z_mean) for the `limit` live units of largest spread s_j.

    What switching unit j up by two standard deviations adds to the average image; for a
    linear decoder it is 2 s_j times the decoder's weight vector of unit j.
    """
    spread = codes.std(axis=0)  # (k,)
    alive = np.flatnonzero(spread > DEAD_SPREAD)
    units = alive[np.argsort(-spread[alive])][:limit]
    base = torch.as_tensor(codes.mean(axis=0, keepdims=True))  # (1, k)
    steps = torch.zeros(len(units), codes.shape[1])
    steps[torch.arange(len(units)), torch.as_tensor(units)] = torch.as_tensor(2 * spread[units])
    return (model.decode(base + steps) - model.decode(base)).numpy()  # (units, d)


def variant_figures(out: VariantOutputs) -> Iterator[tuple[str, plots.plt.Figure]]:
    """(file stem, figure) for every figure that applies to this variant."""
    v, model, meta = out.variant, out.ckpt.model, out.meta
    names, k = meta["class_names"], model.latent_dim
    for method, points in out.maps.items():
        title = f"{v}: {MAP_TITLES.get(method, method)} of the {k}-D codes"
        yield f"latent_{method}", plots.latent_map(points, out.map_labels, names, title)
    yield "loss_curves", plots.loss_curves(out.history, f"{v}: loss per epoch")
    regularizer = out.ckpt.config.regularizer
    target = regularizer.rho if regularizer.kind == "kl" else None
    yield "code_activations", plots.code_activations(out.codes_test, f"{v}: code activations ({k} units)",
                                                     target)

    x_test, y_test = out.test
    if model.is_classifier:
        predicted = apply_in_batches(model.classify, x_test).argmax(dim=1).numpy()
        yield "confusion_matrix", plots.confusion(y_test, predicted, names, f"{v}: test confusion matrix")
        return
    if not meta["image_shape"]:
        return
    shape = tuple(meta["image_shape"])
    pick = one_per_class(y_test)
    clean = x_test[pick]
    columns = [names[c] for c in y_test[pick]]
    yield "reconstructions", plots.image_rows([clean, reconstruct(model, clean)],
                                              ["test", "reconstructed"], shape, columns)
    corruption = out.ckpt.config.corruption
    if corruption.kind != "none":
        noisy = fixed_corruption(clean, corruption).numpy()
        yield "denoising", plots.image_rows([noisy, reconstruct(model, noisy), clean],
                                            ["corrupted", "reconstructed", "clean"], shape, columns)
    images = decoder_unit_images(model, out.codes_test)
    title = f"{v}: what each code unit adds to the mean image ({len(images)} of {k} units vary)"
    if len(images):
        yield "units", plots.unit_images(images, shape, title)
