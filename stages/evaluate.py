"""DVC stage `evaluate@<variant>`: test metrics of the best checkpoint beside PCA of the same k."""

import logging

import pandas as pd

from latentlab.checkpoint import load_checkpoint
from latentlab.cli import run_stage, variant_argument
from latentlab.data import read_split
from latentlab.evaluation import reconstruction_metrics
from latentlab.files import write_json
from latentlab.layout import SPLIT_DIR, metrics_file, model_dir

log = logging.getLogger("evaluate")


def main() -> None:
    variant = variant_argument(__doc__)
    ckpt = load_checkpoint(model_dir(variant) / "best.pt")
    x_train, _ = read_split(SPLIT_DIR, "train")
    x_test, _ = read_split(SPLIT_DIR, "test")

    metrics = reconstruction_metrics(ckpt.model, x_train, x_test)
    history = pd.read_csv(model_dir(variant) / "history.csv")
    metrics.update(train_seconds=float(history["seconds"].sum()), best_epoch=ckpt.info["best_epoch"],
                   epochs_run=len(history))
    write_json(metrics_file(variant), metrics)
    log.info("%s: %s", variant, ", ".join(f"{k} {v:.4g}" for k, v in metrics.items()))


if __name__ == "__main__":
    run_stage(main)
