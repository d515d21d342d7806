"""The comparison report: sections, empty cells, and the anchors for Fashion-MNIST."""

import numpy as np
import pandas as pd

from latentlab.report import markdown

ROWS = {
    "deep": {"latent_dim": 32, "test_mse": 0.0086, "pca_mse": 0.0151, "mse_vs_pca": 0.57,
             "probe_knn_acc": 0.867, "probe_logreg_acc": 0.824, "raw_probe_logreg_acc": 0.837,
             "raw_probe_knn_acc": 0.850, "trustworthiness_tsne": 0.996, "knn2d_acc_tsne": 0.83},
    "classifier": {"latent_dim": 32, "test_acc": 0.889, "probe_knn_acc": 0.886, "probe_logreg_acc": 0.89,
                   "raw_probe_logreg_acc": 0.837, "raw_probe_knn_acc": 0.850,
                   "trustworthiness_tsne": 0.998, "knn2d_acc_tsne": 0.91},
}


def table() -> pd.DataFrame:
    return pd.DataFrame.from_dict(ROWS, orient="index")


def test_sections_with_empty_cells_not_nan():
    text = markdown(table(), "digits")
    assert "## Reconstruction" in text and "## 2-D maps" in text
    assert "nan" not in text
    assert "Against the anchors" not in text, "digits has no anchors"


def test_fashion_mnist_report_sets_variants_beside_the_anchors():
    text = markdown(table(), "fashion_mnist")
    codes = text[text.index("## Against the anchors: codes"):]
    deep = next(line for line in codes.splitlines() if line.startswith("| deep"))
    cells = [c.strip() for c in deep.strip("|").split("|")]
    assert cells[1:5] == ["32", "0.0086", "0.0151", ""]  # k, ours, PCA(32) anchor, no conv AE at 32
    assert "0.842 published" in codes and "0.8370 here" in codes
    assert "tsne trustworthiness [0.991]" in text and "tsne 2-D kNN-5 [0.804]" in text
    assert not np.isnan(table().loc["deep", "test_mse"])
