"""DVC stage `evaluate@<variant>`: test metrics of the best checkpoint, beside PCA of the same k
and the raw inputs (reconstruction, denoising, classification, sparsity, probes)."""

import logging

import pandas as pd

from latentlab.checkpoint import load_checkpoint
from latentlab.cli import run_stage, variant_argument
from latentlab.data import read_split
from latentlab.evaluation import evaluate_variant
from latentlab.files import read_json, write_json
from latentlab.layout import BASELINE_FILE, SPLIT_DIR, metrics_file, model_dir

log = logging.getLogger("evaluate")


def main() -> None:
    variant = variant_argument(__doc__)
    ckpt = load_checkpoint(model_dir(variant) / "best.pt")
    train, test = read_split(SPLIT_DIR, "train"), read_split(SPLIT_DIR, "test")

    metrics = evaluate_variant(ckpt.model, ckpt.config.corruption, train, test)
    metrics |= read_json(BASELINE_FILE)  # raw-input probes, so each row reads against them
    history = pd.read_csv(model_dir(variant) / "history.csv")
    metrics |= {"train_seconds": float(history["seconds"].sum()), "epochs_run": len(history),
                "best_epoch": ckpt.info["best_epoch"]}
    write_json(metrics_file(variant), metrics)
    log.info("%s: %s", variant, ", ".join(f"{k} {v:.4g}" for k, v in sorted(metrics.items())))


if __name__ == "__main__":
    run_stage(main)
