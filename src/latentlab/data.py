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
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, SequentialSampler

from .config import DataConfig, SplitConfig
from .errors import LatentlabError
from .files import read_json, sha256, write_json
from .idx import read_idx

SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class LabeledData:
    x: np.ndarray  # (n, d) float32 in [0, 1]
    y: np.ndarray  # (n,) int64 class indices
    class_names: list[str]
    image_shape: tuple[int, ...] | None  # e.g. (8, 8); None for tabular data
    test_mask: np.ndarray | None = None  # (n,) bool: the source's own test set, if it has one


# --- sources -------------------------------------------------------------------------------


def load_digits_source(cfg: DataConfig) -> LabeledData:
    """scikit-learn's 8x8 handwritten digits (1797 x 64), pixel values 0..16 scaled to [0, 1]."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = (bunch.data / 16.0).astype(np.float32)
    return LabeledData(x, bunch.target.astype(np.int64), [str(c) for c in bunch.target_names], (8, 8))


FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"  # where Debian's dataset-fashion-mnist puts it
FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def load_fashion_mnist(cfg: DataConfig) -> LabeledData:
    """Fashion-MNIST from its four IDX files (60k train + 10k test, 28x28), pixels / 255.

    Any directory of MNIST-format files with the same names works (data.path).
    """
    folder = Path(cfg.path or FASHION_MNIST_DIR)
    if not folder.is_dir():
        raise LatentlabError(
            f"{folder} does not exist; install Fashion-MNIST there with `apt-get install -y "
            "dataset-fashion-mnist` (Debian) or set data.path to a directory of its IDX files.")
    xs, ys = [], []
    for prefix in ("train", "t10k"):
        images_path = _idx_file(folder, f"{prefix}-images-idx3-ubyte")
        labels_path = _idx_file(folder, f"{prefix}-labels-idx1-ubyte")
        images, labels = read_idx(images_path), read_idx(labels_path)
        if images.ndim != 3 or labels.ndim != 1:
            raise LatentlabError(f"{images_path} and {labels_path} must hold (n, rows, cols) images and "
                                 f"(n,) labels, got shapes {images.shape} and {labels.shape}.")
        if len(images) != len(labels):
            raise LatentlabError(f"{images_path} holds {len(images)} images but {labels_path} holds "
                                 f"{len(labels)} labels; the counts must match.")
        xs.append(images.reshape(len(images), -1))
        ys.append(labels.astype(np.int64))
    x = np.concatenate(xs).astype(np.float32) / 255.0
    test_mask = np.arange(len(x)) >= len(xs[0])
    return LabeledData(x, np.concatenate(ys), FASHION_MNIST_CLASSES, images.shape[1:], test_mask)


def _idx_file(folder: Path, stem: str) -> Path:
    for name in (stem, f"{stem}.gz"):
        if (folder / name).is_file():
            return folder / name
    raise LatentlabError(f"{folder / stem}[.gz] does not exist; the directory needs the four "
                         "Fashion-MNIST IDX files (`apt-get install -y dataset-fashion-mnist` on Debian).")


def load_npz_source(cfg: DataConfig) -> LabeledData:
    """Your own arrays: an .npz with X, (n, d) or (n, h, w) images, and y, (n,) labels."""
    path = _existing(cfg.path)
    try:
        with np.load(path) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (OSError, ValueError) as err:
        raise LatentlabError(f"{path} is not a readable .npz file ({err}).") from err
    if "X" not in arrays or "y" not in arrays:
        raise LatentlabError(f"{path} must hold arrays named X and y, found: {', '.join(arrays) or 'none'}.")
    x, labels = arrays["X"], arrays["y"]
    image_shape = tuple(x.shape[1:]) if x.ndim == 3 else None
    return _labeled(path, x.reshape(len(x), -1), labels, image_shape)


def load_csv_source(cfg: DataConfig) -> LabeledData:
    """Your own table: one row per sample, numeric feature columns and a label column."""
    import pandas as pd

    path = _existing(cfg.path)
    table = pd.read_csv(path)
    if cfg.label_column not in table:
        raise LatentlabError(f"{path} has no column '{cfg.label_column}' (data.label_column); "
                             f"its columns are: {', '.join(map(str, table.columns))}.")
    features = table.drop(columns=cfg.label_column)
    non_numeric = [c for c in features if not pd.api.types.is_numeric_dtype(features[c])]
    if non_numeric:
        raise LatentlabError(f"{path}: feature columns must be numeric; these are not: "
                             f"{', '.join(non_numeric)}.")
    return _labeled(path, features.to_numpy(), table[cfg.label_column].to_numpy(), None)


def _existing(path: str | None) -> Path:
    if not path or not Path(path).is_file():
        raise LatentlabError(f"{path} does not exist; set data.path to your data file.")
    return Path(path)


def _labeled(path: Path, x: np.ndarray, labels: np.ndarray, image_shape) -> LabeledData:
    """Labels to class indices, features scaled to [0, 1] (per feature, if not already there)."""
    if len(x) != len(labels):
        raise LatentlabError(f"{path}: {len(x)} samples but {len(labels)} labels; the counts must match.")
    names, y = np.unique(labels, return_inverse=True)
    x = x.astype(np.float64)
    if x.min() < 0 or x.max() > 1:
        low, span = x.min(axis=0), np.ptp(x, axis=0)
        x = (x - low) / np.where(span > 0, span, 1.0)  # min-max per feature; constant features -> 0
    return LabeledData(x.astype(np.float32), y.astype(np.int64), [str(n) for n in names], image_shape)


SOURCES: dict[str, Callable[[DataConfig], LabeledData]] = {
    "digits": load_digits_source,
    "fashion_mnist": load_fashion_mnist,
    "npz": load_npz_source,
    "csv": load_csv_source,
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
    """Train/val/test with the class proportions of the whole set in each part.

    With `test: source`, the test set is the dataset's own (Fashion-MNIST's 10k images, as in
    the published results) and train/val split the rest in the ratio train : val.
    """
    from sklearn.model_selection import train_test_split  # here: stages that only read a split skip it

    index = np.arange(len(data.y))
    if cfg.test == "source":
        if data.test_mask is None:
            raise LatentlabError("params.yaml: split.test is 'source' but this dataset has no test set "
                                 "of its own; give a fraction such as 0.1.")
        rest_idx, test_idx = index[~data.test_mask], index[data.test_mask]
        train_idx, val_idx = train_test_split(rest_idx, train_size=cfg.train / (cfg.train + cfg.val),
                                              stratify=data.y[rest_idx], random_state=cfg.seed)
    else:
        train_idx, rest_idx = train_test_split(index, train_size=cfg.train, stratify=data.y,
                                               random_state=cfg.seed)
        val_share = cfg.val / (cfg.val + cfg.test)  # of what is left after train
        val_idx, test_idx = train_test_split(rest_idx, train_size=val_share, stratify=data.y[rest_idx],
                                             random_state=cfg.seed)
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


def read_split(split_dir: Path, name: str, in_memory: bool = True) -> tuple:
    """(x, y) of one split; x stays on disk, read batch by batch, when `in_memory` is false."""
    split_dir = Path(split_dir)
    paths = [split_dir / f"{kind}_{name}.npy" for kind in ("x", "y")]
    for path in paths:
        if not path.is_file():
            raise LatentlabError(f"{path} does not exist; run the split stage first (dvc repro split).")
    return (np.load(paths[0]) if in_memory else DiskRows(paths[0])), np.load(paths[1])


class DiskRows:
    """A .npy array on disk, read some rows at a time through a short-lived memory map.

    Each read maps the file, copies the rows asked for and unmaps it again, so the process holds
    one batch however large the file (a long-lived map would keep every page it ever touched in
    the process's resident memory); the OS page cache, not the process, keeps recent data.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        mapped = np.load(self.path, mmap_mode="r")
        self.shape, self.dtype = mapped.shape, mapped.dtype

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index) -> np.ndarray:
        return np.array(np.load(self.path, mmap_mode="r")[index])  # a copy; the map closes here


# --- batches -------------------------------------------------------------------------------


class ArrayBatches(torch.utils.data.Dataset):
    """Rows of aligned arrays, indexed by a whole list of indices at once.

    Used with a `BatchSampler` and `batch_size=None`, every fetch slices one batch directly
    out of the arrays instead of collating samples one by one, which keeps the loop as fast
    as a bare `x[perm[i:i + B]]` loop.
    """

    def __init__(self, *arrays: np.ndarray | DiskRows | torch.Tensor):
        self.arrays = [torch.as_tensor(a) if isinstance(a, np.ndarray) else a for a in arrays]

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: list[int]) -> tuple[torch.Tensor, ...]:
        return tuple(_take(a, index) for a in self.arrays)


def _take(array: DiskRows | torch.Tensor, index: list[int]) -> torch.Tensor:
    if isinstance(array, torch.Tensor):
        return array[index]
    return torch.from_numpy(array[index])  # DiskRows: reads only these rows from disk


def batch_loader(*arrays, batch_size: int, shuffle: bool, seed: int = 0) -> DataLoader:
    """Batches of rows of `arrays`; with `shuffle`, a new seeded permutation every epoch."""
    dataset = ArrayBatches(*arrays)
    order = (RandomSampler(dataset, generator=torch.Generator().manual_seed(seed))
             if shuffle else SequentialSampler(dataset))
    return DataLoader(dataset, sampler=BatchSampler(order, batch_size, drop_last=False), batch_size=None)
