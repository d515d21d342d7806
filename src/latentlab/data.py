"""Data: sources, the stratified split, the split on disk, and batch loaders.

Every source returns a `LabeledData`: float32 inputs scaled to [0, 1], one row per sample,
integer labels, the image shape (for plotting) and the class names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler

from .config import DataConfig, SplitConfig
from .errors import LatentlabError
from .files import read_json, sha256, write_json

SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class LabeledData:
    x: np.ndarray  # (n, d) float32 in [0, 1]
    y: np.ndarray  # (n,) int64 class indices
    class_names: list[str]
    image_shape: tuple[int, ...] | None  # e.g. (8, 8); None for tabular data


# --- sources -------------------------------------------------------------------------------


def load_digits_source(cfg: DataConfig) -> LabeledData:
    """scikit-learn's 8x8 handwritten digits (1797 x 64), pixel values 0..16 scaled to [0, 1]."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = (bunch.data / 16.0).astype(np.float32)
    return LabeledData(x, bunch.target.astype(np.int64), [str(c) for c in bunch.target_names], (8, 8))


SOURCES: dict[str, Callable[[DataConfig], LabeledData]] = {
    "digits": load_digits_source,
}


def load_source(cfg: DataConfig) -> LabeledData:
    if cfg.dataset not in SOURCES:
        raise LatentlabError(
            f"params.yaml: data.dataset '{cfg.dataset}' is not available yet; "
            f"available: {', '.join(SOURCES)}."
        )
    return SOURCES[cfg.dataset](cfg)


# --- split ---------------------------------------------------------------------------------


def stratified_split(data: LabeledData, cfg: SplitConfig) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Train/val/test with the class proportions of the whole set in each part."""
    index = np.arange(len(data.y))
    train_idx, rest_idx = train_test_split(
        index, train_size=cfg.train, stratify=data.y, random_state=cfg.seed
    )
    val_share = cfg.val / (cfg.val + cfg.test)  # of what is left after train
    val_idx, test_idx = train_test_split(
        rest_idx, train_size=val_share, stratify=data.y[rest_idx], random_state=cfg.seed
    )
    return {name: (data.x[idx], data.y[idx]) for name, idx in
            zip(SPLITS, (train_idx, val_idx, test_idx), strict=True)}


def write_split(out_dir: Path, splits: dict, data: LabeledData, dataset: str) -> dict:
    """x_<split>.npy, y_<split>.npy and meta.json (shapes, classes, counts, sha256).

    Write into an `atomic_dir` so the split appears whole or not at all.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {
        "dataset": dataset,
        "input_dim": int(data.x.shape[1]),
        "image_shape": list(data.image_shape) if data.image_shape else None,
        "classes": list(range(len(data.class_names))),
        "class_names": data.class_names,
        "splits": {},
    }
    for name, (x, y) in splits.items():
        files = {}
        for kind, array in (("x", x), ("y", y)):
            path = out_dir / f"{kind}_{name}.npy"
            np.save(path, array)
            files[path.name] = sha256(path)
        counts = np.bincount(y, minlength=len(data.class_names))
        meta["splits"][name] = {
            "shape": list(x.shape),
            "class_counts": [int(c) for c in counts],
            "sha256": files,
        }
    write_json(out_dir / "meta.json", meta)
    return meta


def read_meta(split_dir: Path) -> dict:
    return read_json(Path(split_dir) / "meta.json")


def read_split(split_dir: Path, name: str, in_memory: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of one split; memory-mapped from disk when `in_memory` is false."""
    split_dir = Path(split_dir)
    paths = [split_dir / f"{kind}_{name}.npy" for kind in ("x", "y")]
    for path in paths:
        if not path.is_file():
            raise LatentlabError(f"{path} does not exist; run the split stage first (dvc repro split).")
    x = np.load(paths[0], mmap_mode=None if in_memory else "r")
    return x, np.load(paths[1])


# --- batches -------------------------------------------------------------------------------


class ArrayBatches(torch.utils.data.Dataset):
    """Rows of aligned arrays, indexed by a whole list of indices at once.

    Used with a `BatchSampler` and `batch_size=None`, every fetch slices one batch directly
    out of the arrays instead of collating samples one by one, which keeps the loop as fast
    as a bare `x[perm[i:i + B]]` loop.
    """

    def __init__(self, *arrays: np.ndarray | torch.Tensor):
        self.arrays = [torch.as_tensor(a) if isinstance(a, np.ndarray) and not
                       isinstance(a, np.memmap) else a for a in arrays]

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: list[int]) -> tuple[torch.Tensor, ...]:
        return tuple(_take(a, index) for a in self.arrays)


def _take(array: np.ndarray | torch.Tensor, index: list[int]) -> torch.Tensor:
    if isinstance(array, torch.Tensor):
        return array[index]
    return torch.from_numpy(np.ascontiguousarray(array[index]))  # memmap: reads only these rows


def batch_loader(*arrays, batch_size: int, shuffle: bool, seed: int = 0) -> DataLoader:
    """Batches of rows of `arrays`; with `shuffle`, a new seeded permutation every epoch."""
    dataset = ArrayBatches(*arrays)
    order = (RandomSampler(dataset, generator=torch.Generator().manual_seed(seed))
             if shuffle else SequentialSampler(dataset))
    return DataLoader(dataset, sampler=BatchSampler(order, batch_size, drop_last=False), batch_size=None)
