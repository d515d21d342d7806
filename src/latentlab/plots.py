"""Figures, written as PNG: latent maps, reconstructions, loss curves, comparisons."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display on a pipeline machine

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .files import atomic_file  # noqa: E402


def save(fig: plt.Figure, path: str | Path) -> Path:
    with atomic_file(path) as tmp:
        fig.savefig(tmp, dpi=110, bbox_inches="tight", format="png")
    plt.close(fig)
    return Path(path)


def latent_map(points: np.ndarray, labels: np.ndarray, class_names: list[str], title: str) -> plt.Figure:
    """A 2-D scatter coloured by class, with a legend naming the classes."""
    fig, ax = plt.subplots(figsize=(7, 6))
    cmap = plt.get_cmap("tab10" if len(class_names) <= 10 else "tab20")
    size = max(2.0, 30.0 / np.sqrt(max(len(points), 1) / 200))
    for c, name in enumerate(class_names):
        mask = labels == c
        ax.scatter(points[mask, 0], points[mask, 1], s=size, color=cmap(c % cmap.N),
                   label=name, alpha=0.75, linewidths=0)
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(markerscale=max(1.0, 12 / size), fontsize=8, loc="center left",
              bbox_to_anchor=(1.0, 0.5), frameon=False)
    return fig


def image_rows(rows: list[np.ndarray], row_titles: list[str], image_shape: tuple[int, ...],
               col_titles: list[str] | None = None) -> plt.Figure:
    """Rows of images side by side, e.g. test originals above their reconstructions."""
    n_rows, n_cols = len(rows), len(rows[0])
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(1.1 * n_cols, 1.2 * n_rows), squeeze=False)
    for r, (images, title) in enumerate(zip(rows, row_titles, strict=True)):
        for c in range(n_cols):
            ax = axes[r, c]
            ax.imshow(np.clip(images[c], 0, 1).reshape(image_shape), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if c == 0:
                ax.set_ylabel(title, fontsize=8)
            if r == 0 and col_titles:
                ax.set_title(col_titles[c], fontsize=7)
    fig.tight_layout()
    return fig


def loss_curves(history: pd.DataFrame, title: str) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(history["epoch"], history["train_loss"], label="train")
    ax.plot(history["epoch"], history["val_loss"], label="validation")
    best = history.loc[history["val_loss"].idxmin()]
    ax.axvline(best["epoch"], color="grey", linestyle=":", label=f"best (epoch {int(best['epoch'])})")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend()
    return fig


def grouped_bars(table: pd.DataFrame, columns: dict[str, str], ylabel: str, title: str) -> plt.Figure:
    """One group of bars per row of `table` (index = variant), one bar per column."""
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(table)), 4))
    width = 0.8 / len(columns)
    x = np.arange(len(table))
    for i, (column, label) in enumerate(columns.items()):
        ax.bar(x + (i - (len(columns) - 1) / 2) * width, table[column], width, label=label)
    ax.set_xticks(x, table.index, rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


def panel_grid(n: int, per_row: int, panel_size: tuple[float, float], extra_height: float = 0.0):
    """A figure of n panels, `per_row` to a row; the cells after the n-th are blanked."""
    cols = min(per_row, n)
    rows = int(np.ceil(n / cols))
    width, height = panel_size
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows + extra_height), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_axis_off()
    return fig, axes.flat[:n]


def unit_images(images: np.ndarray, image_shape: tuple[int, ...], title: str,
                per_row: int = 16) -> plt.Figure:
    """One small image per latent unit (red adds ink, blue removes it), each on its own scale."""
    fig, axes = panel_grid(len(images), per_row, (0.8, 0.8), extra_height=0.5)
    for i, (ax, image) in enumerate(zip(axes, images, strict=True)):
        ax.set_axis_off()
        scale = np.abs(image).max() or 1.0
        ax.imshow(image.reshape(image_shape), cmap="RdBu_r", vmin=-scale, vmax=scale)
        ax.set_title(str(i), fontsize=6)
    fig.suptitle(title, fontsize=9)
    return fig


def code_activations(codes: np.ndarray, title: str, target: float | None = None) -> plt.Figure:
    """Left: histogram of every code activation. Right: mean activation of each unit (rho_hat_j)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
    left.hist(codes.ravel(), bins=60, color="tab:blue")
    left.set_yscale("log")
    left.set_xlabel("activation z")
    left.set_ylabel("count")
    unit_means = np.abs(codes).mean(axis=0)
    right.bar(np.arange(len(unit_means)), unit_means, color="tab:orange", width=1.0)
    if target is not None:
        right.axhline(target, color="black", linestyle="--", label=f"target rho = {target:g}")
        right.legend()
    right.set_xlabel("code unit j")
    right.set_ylabel("mean |z_j| over the test set")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def activation_histograms(codes: dict[str, np.ndarray], per_row: int = 4) -> plt.Figure:
    """Histograms of code activations, one panel per variant, so sparse codes sit beside dense ones."""
    fig, axes = panel_grid(len(codes), per_row, (3.2, 2.8))
    for ax, (variant, z) in zip(axes, codes.items(), strict=True):
        ax.hist(z.ravel(), bins=50, color="tab:blue")
        ax.set_yscale("log")
        ax.set_title(f"{variant}: mean |z| {np.abs(z).mean():.3f}", fontsize=9)
        ax.set_xlabel("z")
    fig.suptitle("Code activations on the test set")
    fig.tight_layout()
    return fig


def confusion(y_true: np.ndarray, y_pred: np.ndarray, class_names: list[str], title: str) -> plt.Figure:
    from sklearn.metrics import ConfusionMatrixDisplay

    fig, ax = plt.subplots(figsize=(7, 6))
    ConfusionMatrixDisplay.from_predictions(y_true, y_pred, labels=list(range(len(class_names))),
                                            display_labels=class_names, ax=ax, colorbar=False,
                                            xticks_rotation=45)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def probe_bars(table: pd.DataFrame, raw: dict[str, float]) -> plt.Figure:
    """Probe accuracy on each variant's codes beside PCA codes of the same k; raw pixels as a line."""
    fig, axes = plt.subplots(1, 2, figsize=(max(10, 1.6 * len(table)), 4), sharey=True)
    for ax, probe in zip(axes, ("logreg", "knn"), strict=True):
        x = np.arange(len(table))
        ax.bar(x - 0.2, table[f"probe_{probe}_acc"], 0.4, label="codes")
        ax.bar(x + 0.2, table[f"pca_probe_{probe}_acc"], 0.4, label="PCA, same k")
        ax.axhline(raw[f"raw_probe_{probe}_acc"], color="black", linestyle="--", label="raw inputs")
        ax.set_xticks(x, table.index, rotation=30, ha="right")
        ax.set_title({"logreg": "logistic regression", "knn": "kNN-5"}[probe] + " probe")
        ax.set_ylim(0, 1)
    axes[0].set_ylabel("test accuracy")
    axes[1].legend(loc="lower right")
    fig.tight_layout()
    return fig
