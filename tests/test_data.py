"""The split: ratios, stratification, determinism, the files on disk; and the batch loader."""

import json

import numpy as np
import pytest
import torch

from latentlab.config import SplitConfig
from latentlab.data import DiskRows, batch_loader, read_split, stratified_split, write_split
from latentlab.files import atomic_dir, sha256


def test_digits_are_scaled_to_unit_interval(digits):
    assert digits.x.shape == (1797, 64) and digits.x.dtype == np.float32
    assert digits.x.min() == 0.0 and digits.x.max() == 1.0


def test_split_ratios_cover_everything_once(digits, digits_split):
    sizes = {name: len(y) for name, (_, y) in digits_split.items()}
    assert sum(sizes.values()) == 1797
    assert abs(sizes["train"] / 1797 - 0.8) < 0.01
    assert abs(sizes["val"] / 1797 - 0.1) < 0.01
    rows = np.concatenate([x for x, _ in digits_split.values()])
    assert len(np.unique(rows, axis=0)) == len(np.unique(digits.x, axis=0))


def test_split_is_stratified(digits, digits_split):
    whole = np.bincount(digits.y) / len(digits.y)
    for _, y in digits_split.values():
        assert np.abs(np.bincount(y, minlength=10) / len(y) - whole).max() < 0.02


def test_split_is_deterministic_and_seed_dependent(digits):
    a = stratified_split(digits, SplitConfig(seed=1))
    b = stratified_split(digits, SplitConfig(seed=1))
    c = stratified_split(digits, SplitConfig(seed=2))
    assert np.array_equal(a["test"][0], b["test"][0])
    assert not np.array_equal(a["test"][0], c["test"][0])


def test_other_ratios(digits):
    parts = stratified_split(digits, SplitConfig(train=0.6, val=0.2, test=0.2))
    assert abs(len(parts["val"][1]) - 0.2 * 1797) <= 2


def test_written_split_matches_its_meta(tmp_path, digits, digits_split):
    with atomic_dir(tmp_path / "split") as out:
        write_split(out, digits_split, digits, "digits")
    meta = json.loads((tmp_path / "split" / "meta.json").read_text())
    assert meta["image_shape"] == [8, 8] and meta["input_dim"] == 64
    assert meta["splits"]["test"]["shape"] == list(digits_split["test"][0].shape)
    for info in meta["splits"].values():
        for name, digest in info["sha256"].items():
            assert sha256(tmp_path / "split" / name) == digest
    x, y = read_split(tmp_path / "split", "val")
    assert np.array_equal(x, digits_split["val"][0]) and np.array_equal(y, digits_split["val"][1])


def test_loader_batches_cover_the_data_in_a_seeded_order(digits_split):
    x, y = digits_split["train"]
    epoch = lambda loader: [b for b in loader]  # noqa: E731
    a = epoch(batch_loader(x, y, batch_size=100, shuffle=True, seed=5))
    b = epoch(batch_loader(x, y, batch_size=100, shuffle=True, seed=5))
    assert [len(xb) for xb, _ in a][:-1] == [100] * (len(a) - 1)
    assert all(torch.equal(p[0], q[0]) for p, q in zip(a, b, strict=True))
    seen = torch.cat([yb for _, yb in a])
    assert sorted(seen.tolist()) == sorted(y.tolist())
    in_order = epoch(batch_loader(x, y, batch_size=100, shuffle=False))
    assert torch.equal(torch.cat([xb for xb, _ in in_order]), torch.as_tensor(x))


def test_streaming_and_in_memory_loaders_yield_the_same_batches(tmp_path, digits, digits_split):
    with atomic_dir(tmp_path / "split") as out:
        write_split(out, digits_split, digits, "digits")
    in_memory = read_split(tmp_path / "split", "train", in_memory=True)
    streamed = read_split(tmp_path / "split", "train", in_memory=False)
    assert isinstance(streamed[0], DiskRows) and len(streamed[0]) == len(in_memory[0])
    for shuffle in (True, False):
        a = list(batch_loader(*in_memory, batch_size=64, shuffle=shuffle, seed=3))
        b = list(batch_loader(*streamed, batch_size=64, shuffle=shuffle, seed=3))
        assert len(a) == len(b)
        for (xa, ya), (xb, yb) in zip(a, b, strict=True):
            assert torch.equal(xa, xb) and torch.equal(ya, yb)


def test_training_streams_from_disk_like_it_trains_from_memory(tmp_path, digits, digits_split):
    from latentlab.config import parse_params
    from latentlab.models import build_model
    from latentlab.training import fit

    with atomic_dir(tmp_path / "split") as out:
        write_split(out, digits_split, digits, "digits")
    cfg = parse_params({"variants": {"v": {"epochs": 2, "corruption": {"kind": "gaussian"}}}}).variant("v")
    results = []
    for in_memory in (True, False):
        train = read_split(tmp_path / "split", "train", in_memory)
        val = read_split(tmp_path / "split", "val", in_memory)
        results.append(fit(build_model(cfg, 64, 10), train, val, cfg).history)
    assert [r["val_loss"] for r in results[0]] == pytest.approx([r["val_loss"] for r in results[1]])


def test_own_data_from_npz_and_csv(tmp_path):
    import pandas as pd

    from latentlab.config import DataConfig
    from latentlab.data import load_source
    from latentlab.errors import LatentlabError

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(30, 5, 5)).astype(np.uint8)
    labels = np.array(["cat", "dog", "eel"] * 10)
    np.savez(tmp_path / "mine.npz", X=images, y=labels)
    data = load_source(DataConfig(dataset="npz", path=str(tmp_path / "mine.npz")))
    assert data.x.shape == (30, 25) and data.image_shape == (5, 5)
    assert data.x.min() == 0.0 and data.x.max() == 1.0
    assert data.class_names == ["cat", "dog", "eel"] and data.y[:3].tolist() == [0, 1, 2]

    table = pd.DataFrame({"a": rng.normal(size=30), "b": np.arange(30), "kind": labels})
    table.to_csv(tmp_path / "mine.csv", index=False)
    data = load_source(DataConfig(dataset="csv", path=str(tmp_path / "mine.csv"), label_column="kind"))
    assert data.x.shape == (30, 2) and data.image_shape is None and len(data.class_names) == 3

    with pytest.raises(LatentlabError, match="has no column 'label'.*columns are: a, b, kind"):
        load_source(DataConfig(dataset="csv", path=str(tmp_path / "mine.csv")))
    np.savez(tmp_path / "bad.npz", images=images)
    with pytest.raises(LatentlabError, match="must hold arrays named X and y, found: images"):
        load_source(DataConfig(dataset="npz", path=str(tmp_path / "bad.npz")))
    with pytest.raises(LatentlabError, match="does not exist; set data.path"):
        load_source(DataConfig(dataset="npz", path=str(tmp_path / "none.npz")))
