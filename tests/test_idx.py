"""The IDX reader and the Fashion-MNIST source, on small IDX files written here."""

import gzip

import numpy as np
import pytest

from latentlab.config import DataConfig, SplitConfig
from latentlab.data import FASHION_MNIST_CLASSES, load_fashion_mnist, stratified_split
from latentlab.errors import LatentlabError
from latentlab.idx import read_idx, write_idx


def images(n, seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=(n, 4, 4), dtype=np.uint8)


@pytest.mark.parametrize("name", ["images-idx3-ubyte", "images-idx3-ubyte.gz"])
def test_round_trip_plain_and_gzipped(tmp_path, name):
    array = images(7)
    write_idx(tmp_path / name, array)
    assert np.array_equal(read_idx(tmp_path / name), array)
    labels = np.arange(7, dtype=np.uint8)
    write_idx(tmp_path / "labels", labels)
    assert np.array_equal(read_idx(tmp_path / "labels"), labels)


def test_reads_the_big_endian_header(tmp_path):
    # 0x0000 0803: unsigned bytes, 3 dimensions (2, 2, 3), then 12 data bytes
    raw = bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes(range(12))
    (tmp_path / "f").write_bytes(raw)
    assert read_idx(tmp_path / "f").tolist() == np.arange(12).reshape(2, 2, 3).tolist()


def test_bad_magic_number(tmp_path):
    (tmp_path / "f").write_bytes(b"\x12\x34\x08\x01" + bytes(8))
    with pytest.raises(LatentlabError, match=r"f is not an IDX file: bad magic number 12340801"):
        read_idx(tmp_path / "f")


def test_truncated_data_and_header(tmp_path):
    write_idx(tmp_path / "f", images(5))
    data = (tmp_path / "f").read_bytes()
    (tmp_path / "f").write_bytes(data[:-10])
    with pytest.raises(LatentlabError, match=r"is truncated or padded: shape \(5, 4, 4\) needs 80 bytes"):
        read_idx(tmp_path / "f")
    (tmp_path / "g").write_bytes(data[:9])
    with pytest.raises(LatentlabError, match="is truncated: its header ends after 9 bytes"):
        read_idx(tmp_path / "g")


def test_truncated_gzip_stream(tmp_path):
    write_idx(tmp_path / "f.gz", images(50))
    data = (tmp_path / "f.gz").read_bytes()
    (tmp_path / "f.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(LatentlabError, match="f.gz cannot be read"):
        read_idx(tmp_path / "f.gz")


def fashion_dir(tmp_path, n_train=40, n_test=20, n_train_labels=None):
    for prefix, n, seed in (("train", n_train, 0), ("t10k", n_test, 1)):
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", images(n, seed))
        labels = np.arange(n_train_labels if prefix == "train" and n_train_labels else n) % 10
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", labels.astype(np.uint8))
    return tmp_path


def test_fashion_mnist_source(tmp_path):
    data = load_fashion_mnist(DataConfig(dataset="fashion_mnist", path=str(fashion_dir(tmp_path))))
    assert data.x.shape == (60, 16) and data.x.dtype == np.float32 and data.x.max() <= 1.0
    assert data.image_shape == (4, 4) and data.class_names == FASHION_MNIST_CLASSES
    assert data.test_mask.sum() == 20 and data.test_mask[-20:].all()
    parts = stratified_split(data, SplitConfig(train=0.75, val=0.25, test="source"))
    assert [len(parts[s][1]) for s in ("train", "val", "test")] == [30, 10, 20]
    assert np.array_equal(parts["test"][0], data.x[40:])


def test_fashion_mnist_faults_name_the_file(tmp_path):
    with pytest.raises(LatentlabError, match="apt-get install -y dataset-fashion-mnist"):
        load_fashion_mnist(DataConfig(dataset="fashion_mnist", path=str(tmp_path / "none")))
    folder = fashion_dir(tmp_path, n_train_labels=39)
    with pytest.raises(LatentlabError, match="holds 40 images but .*labels-idx1-ubyte.gz holds 39 labels"):
        load_fashion_mnist(DataConfig(dataset="fashion_mnist", path=str(folder)))
    fashion_dir(folder)  # matching counts again
    (folder / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(LatentlabError, match=r"t10k-images-idx3-ubyte\[.gz\] does not exist"):
        load_fashion_mnist(DataConfig(dataset="fashion_mnist", path=str(folder)))


def test_gzip_of_garbage_is_named(tmp_path):
    with gzip.open(tmp_path / "f.gz", "wb") as fh:
        fh.write(b"garbage!")
    with pytest.raises(LatentlabError, match="f.gz is not an IDX file"):
        read_idx(tmp_path / "f.gz")
