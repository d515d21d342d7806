"""The comparison of all variants: one row each, as CSV, Markdown and bar charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import plots
from .files import atomic_file, read_json
from .layout import embed_metrics_file, metrics_file, run_file

# Columns of the summary, in order; a variant lacking a metric shows an empty cell.
SUMMARY_COLUMNS = [
    "latent_dim", "test_mse", "pca_mse", "mse_vs_pca",
    "trustworthiness_pca", "trustworthiness_tsne", "trustworthiness_umap", "trustworthiness_latent",
    "knn2d_acc_pca", "knn2d_acc_tsne", "knn2d_acc_umap", "knn2d_acc_latent",
    "train_seconds", "best_epoch",
]


def summary_table(variants: list[str]) -> pd.DataFrame:
    """Metrics of every variant (index) read from metrics/<variant>{,_embed}.json and runs/."""
    rows = {}
    for variant in variants:
        row = {**read_json(metrics_file(variant)), **read_json(embed_metrics_file(variant))}
        run = run_file(variant)
        row["mlflow_run_id"] = read_json(run)["run_id"] if run.exists() else None
        rows[variant] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    columns = [c for c in SUMMARY_COLUMNS if c in table] + ["mlflow_run_id"]
    table.index.name = "variant"
    return table[columns]


def write_summary(table: pd.DataFrame, out_dir: Path) -> None:
    with atomic_file(out_dir / "summary.csv") as tmp:
        table.to_csv(tmp)
    with atomic_file(out_dir / "summary.md") as tmp:
        shown = table.drop(columns="mlflow_run_id").dropna(axis=1, how="all")
        tmp.write_text(shown.to_markdown(floatfmt=".4g") + "\n")
    reconstructing = table.dropna(subset=["test_mse"])
    if not reconstructing.empty:
        figure = plots.grouped_bars(reconstructing, {"test_mse": "autoencoder", "pca_mse": "PCA, same k"},
                                    "test MSE per pixel", "Reconstruction error: each variant vs PCA")
        plots.save(figure, out_dir / "mse_vs_pca.png")
