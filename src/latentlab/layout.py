"""Where each stage reads and writes, relative to the repository root (must match dvc.yaml)."""

from pathlib import Path

SPLIT_DIR = Path("data/split")
REPORTS_DIR = Path("reports")
BASELINE_FILE = Path("metrics") / "baseline.json"  # probes on the raw inputs


def model_dir(variant: str) -> Path:
    return Path("models") / variant  # best.pt, history.csv


def metrics_file(variant: str) -> Path:
    return Path("metrics") / f"{variant}.json"


def embed_metrics_file(variant: str) -> Path:
    return Path("metrics") / f"{variant}_embed.json"


def embedding_dir(variant: str) -> Path:
    return Path("embeddings") / variant  # codes_<split>.npy, map_<method>.npy, map_labels.npy


def plot_dir(variant: str) -> Path:
    return Path("plots") / variant


def run_file(variant: str) -> Path:
    return Path("runs") / f"{variant}.json"  # the MLflow run that holds this variant's results
