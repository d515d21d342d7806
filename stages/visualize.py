"""DVC stage `visualize@<variant>`: latent maps, reconstructions, loss curves, code activations,
unit images, denoising and confusion matrices, as PNG."""

import logging

import numpy as np
import pandas as pd

from latentlab import plots
from latentlab.checkpoint import load_checkpoint
from latentlab.cli import run_stage, variant_argument
from latentlab.data import read_meta, read_split
from latentlab.figures import VariantOutputs, variant_figures
from latentlab.files import atomic_dir
from latentlab.layout import SPLIT_DIR, embedding_dir, model_dir, plot_dir

log = logging.getLogger("visualize")


def main() -> None:
    variant = variant_argument(__doc__)
    embeddings = embedding_dir(variant)
    outputs = VariantOutputs(
        variant=variant,
        ckpt=load_checkpoint(model_dir(variant) / "best.pt"),
        meta=read_meta(SPLIT_DIR),
        history=pd.read_csv(model_dir(variant) / "history.csv"),
        maps={p.stem.removeprefix("map_"): np.load(p) for p in sorted(embeddings.glob("map_*.npy"))
              if p.stem != "map_labels"},
        map_labels=np.load(embeddings / "map_labels.npy"),
        codes_test=np.load(embeddings / "codes_test.npy"),
        test=read_split(SPLIT_DIR, "test"),
    )
    with atomic_dir(plot_dir(variant)) as out:
        for name, figure in variant_figures(outputs):
            plots.save(figure, out / f"{name}.png")
    log.info("%s: plots -> %s", variant, plot_dir(variant))


if __name__ == "__main__":
    run_stage(main)
