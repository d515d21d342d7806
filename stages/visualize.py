"""DVC stage `visualize@<variant>`: latent maps, reconstructions and loss curves as PNG."""

import logging

import numpy as np
import pandas as pd

from latentlab import plots
from latentlab.checkpoint import load_checkpoint
from latentlab.cli import run_stage, variant_argument
from latentlab.data import read_meta, read_split
from latentlab.evaluation import reconstruct
from latentlab.files import atomic_dir
from latentlab.layout import SPLIT_DIR, embedding_dir, model_dir, plot_dir

log = logging.getLogger("visualize")

TITLES = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP", "latent": "2-D latent code"}


def one_per_class(y: np.ndarray, n_classes: int, limit: int = 10) -> np.ndarray:
    """Index of the first test sample of each class (up to `limit` classes)."""
    return np.array([np.flatnonzero(y == c)[0] for c in range(n_classes) if (y == c).any()][:limit])


def main() -> None:
    variant = variant_argument(__doc__)
    meta = read_meta(SPLIT_DIR)
    ckpt = load_checkpoint(model_dir(variant) / "best.pt")
    history = pd.read_csv(model_dir(variant) / "history.csv")
    embeddings = embedding_dir(variant)
    labels = np.load(embeddings / "map_labels.npy")

    with atomic_dir(plot_dir(variant)) as out:
        for path in sorted(embeddings.glob("map_*.npy")):
            method = path.stem.removeprefix("map_")
            if method == "labels":
                continue
            title = f"{variant}: {TITLES.get(method, method)} of the {ckpt.model.latent_dim}-D codes"
            plots.save(plots.latent_map(np.load(path), labels, meta["class_names"], title),
                       out / f"latent_{method}.png")
        plots.save(plots.loss_curves(history, f"{variant}: loss per epoch"), out / "loss_curves.png")
        if meta["image_shape"] and not ckpt.model.is_classifier:
            x_test, y_test = read_split(SPLIT_DIR, "test")
            pick = one_per_class(y_test, len(meta["classes"]))
            originals = x_test[pick]
            figure = plots.image_rows([originals, reconstruct(ckpt.model, originals)],
                                      ["test", "reconstructed"], tuple(meta["image_shape"]),
                                      [meta["class_names"][c] for c in y_test[pick]])
            plots.save(figure, out / "reconstructions.png")
    log.info("%s: plots -> %s", variant, plot_dir(variant))


if __name__ == "__main__":
    run_stage(main)
