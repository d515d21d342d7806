"""A reader for IDX files, the format of MNIST and Fashion-MNIST, plain or gzipped.

    magic: 0x00 0x00 <type code> <number of dimensions n>
    n big-endian uint32 sizes, then the data, row-major, big-endian
(LeCun et al., http://yann.lecun.com/exdb/mnist/, "THE IDX FILE FORMAT")
"""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

import numpy as np

from .errors import LatentlabError

DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | Path) -> np.ndarray:
    """The array stored in an IDX file; one sentence naming the file and the fault if it is bad."""
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in DTYPES:
        raise LatentlabError(
            f"{path} is not an IDX file: bad magic number {raw[:4].hex() or '(empty file)'}, "
            f"expected 0000 followed by a type code and the number of dimensions.")
    dtype, ndim = np.dtype(DTYPES[raw[2]]), raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise LatentlabError(f"{path} is truncated: its header ends after {len(raw)} bytes.")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise LatentlabError(
            f"{path} is truncated or padded: shape {shape} needs {expected} bytes of data, "
            f"found {len(raw) - header}.")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _read_bytes(path: Path) -> bytes:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as fh:
                return fh.read()
        return path.read_bytes()
    except (OSError, EOFError, zlib.error) as err:  # a gzip stream cut short, or not gzip at all
        raise LatentlabError(f"{path} cannot be read: {err}.") from err


def write_idx(path: str | Path, array: np.ndarray) -> None:
    """Write `array` as IDX (gzipped if the name ends in .gz); the inverse of read_idx."""
    codes = {np.dtype(v).newbyteorder("="): k for k, v in DTYPES.items()}
    array = np.asarray(array)
    code = codes[array.dtype.newbyteorder("=")]
    data = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data += array.astype(np.dtype(DTYPES[code])).tobytes()
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as fh:
        fh.write(data)
