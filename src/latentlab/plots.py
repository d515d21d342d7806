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
