"""The comparison of all variants: one row each, as CSV, Markdown and charts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import plots
from .anchors import ANCHORS
from .files import atomic_file, read_json
from .layout import BASELINE_FILE, embed_metrics_file, embedding_dir, metrics_file, run_file

# The Markdown report's tables: a title and its columns. summary.csv holds every metric.
SECTIONS = {
    "Reconstruction (test set, MSE per pixel)": [
        "latent_dim", "test_mse", "pca_mse", "mse_vs_pca", "noisy_mse", "denoise_mse", "denoise_gain"],
    "Classification from the codes (test accuracy; pca_ = PCA codes of the same k, raw_ = pixels)": [
        "test_acc", "probe_logreg_acc", "pca_probe_logreg_acc", "raw_probe_logreg_acc",
        "probe_knn_acc", "pca_probe_knn_acc", "raw_probe_knn_acc", "probe_logreg_auroc"],
    "Sparsity of the codes": [
        "code_mean_activation", "code_frac_near_zero", "code_unit_mean_min", "code_unit_mean_max"],
    "2-D maps (trustworthiness, leave-one-out kNN accuracy in 2-D)": [
        "trustworthiness_pca", "trustworthiness_tsne", "trustworthiness_umap", "trustworthiness_latent",
        "knn2d_acc_pca", "knn2d_acc_tsne", "knn2d_acc_umap", "knn2d_acc_latent"],
    "Training": ["train_seconds", "epochs_run", "best_epoch"],
}


def summary_table(variants: list[str]) -> pd.DataFrame:
    """Metrics of every variant (index) from metrics/<variant>{,_embed}.json and runs/."""
    rows = {}
    for variant in variants:
        row = {**read_json(metrics_file(variant)), **read_json(embed_metrics_file(variant))}
        run = run_file(variant)
        row["mlflow_run_id"] = read_json(run)["run_id"] if run.exists() else None
        rows[variant] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "variant"
    first = [c for columns in SECTIONS.values() for c in columns if c in table]
    return table[first + sorted(set(table) - set(first) - {"mlflow_run_id"}) + ["mlflow_run_id"]]


def markdown(table: pd.DataFrame, dataset: str) -> str:
    parts = [f"# latentlab: variant comparison ({dataset})\n"]
    for title, columns in SECTIONS.items():
        present = table[[c for c in columns if c in table]].dropna(axis=1, how="all")
        if not present.empty:
            parts.append(f"## {title}\n\n{markdown_table(present)}\n")
    if dataset in ANCHORS:
        parts += [anchors_codes(table, ANCHORS[dataset]), anchors_maps(table, ANCHORS[dataset])]
    return "\n".join(parts)


def markdown_table(frame: pd.DataFrame) -> str:
    frame = frame.astype(object).where(frame.notna(), None)  # empty cells, not "nan"
    return frame.to_markdown(floatfmt=".4g", missingval="")


def anchors_codes(table: pd.DataFrame, a: dict) -> str:
    """Each variant's reconstruction and probes beside the anchors for the same code size k."""
    rows = {}
    for variant, m in table.iterrows():
        k = int(m["latent_dim"])
        published_knn = (a["conv_ae_knn_acc"].get(k), a["vae_knn_acc"].get(k))
        rows[variant] = {
            "k": k,
            "test MSE": m.get("test_mse"),
            "PCA(k) MSE [anchor]": a["pca_mse"].get(k),
            "conv AE MSE [published]": a["conv_ae_mse"].get(k),
            "kNN-5 on codes": m.get("probe_knn_acc"),
            "PCA(k) kNN-5 [anchor]": a["pca_knn_acc"].get(k),
            "conv AE / VAE kNN-5 [published]": " / ".join("–" if v is None else str(v) for v in published_knn)
            if any(published_knn) else None,
            "logreg on codes": m.get("probe_logreg_acc"),
            "PCA(k) logreg [anchor]": a["pca_logreg_acc"].get(k),
        }
    first = table.iloc[0]
    return ("## Against the anchors: codes\n\n"
            f"{markdown_table(pd.DataFrame.from_dict(rows, orient='index'))}\n\n"
            f"Raw pixels: logistic regression {first['raw_probe_logreg_acc']:.4f} here, "
            f"{a['raw_logreg_acc']} published; kNN-5 {first['raw_probe_knn_acc']:.4f} here, "
            f"{a['raw_knn_acc']} published.\n")


def anchors_maps(table: pd.DataFrame, a: dict) -> str:
    """The 2-D maps' scores, the published scores of maps of the pixels in the headers."""
    names = {}
    for method, (trust, knn) in a["maps"].items():
        names[f"trustworthiness_{method}"] = f"{method} trustworthiness [{trust}]"
        names[f"knn2d_acc_{method}"] = f"{method} 2-D kNN-5 [{knn}]"
    maps = table[[c for c in names if c in table]].rename(columns=names)
    return f"## Against the anchors: 2-D maps (published, for maps of the pixels, in brackets)\n\n" \
           f"{markdown_table(maps)}\n"


def write_summary(table: pd.DataFrame, dataset: str, out_dir: Path) -> None:
    with atomic_file(out_dir / "summary.csv") as tmp:
        table.to_csv(tmp)
    with atomic_file(out_dir / "summary.md") as tmp:
        tmp.write_text(markdown(table, dataset))
    reconstructing = table.dropna(subset=["test_mse"]) if "test_mse" in table else table.iloc[:0]
    if not reconstructing.empty:
        figure = plots.grouped_bars(reconstructing, {"test_mse": "autoencoder", "pca_mse": "PCA, same k"},
                                    "test MSE per pixel", "Reconstruction error: each variant vs PCA")
        plots.save(figure, out_dir / "mse_vs_pca.png")
    plots.save(plots.probe_bars(table, read_json(BASELINE_FILE)), out_dir / "probe_accuracy.png")
    codes = {v: np.load(embedding_dir(v) / "codes_test.npy") for v in table.index}
    plots.save(plots.activation_histograms(codes), out_dir / "code_activations.png")
