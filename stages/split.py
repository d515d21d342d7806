"""DVC stage `split`: load the dataset, split it stratified into train/val/test, write it."""

import logging

from latentlab.cli import run_stage
from latentlab.config import load_params
from latentlab.data import load_source, stratified_split, write_split
from latentlab.files import atomic_dir
from latentlab.layout import SPLIT_DIR

log = logging.getLogger("split")


def main() -> None:
    params = load_params()
    data = load_source(params.data)
    splits = stratified_split(data, params.split)
    with atomic_dir(SPLIT_DIR) as out:
        meta = write_split(out, splits, data, params.data.dataset)
    shapes = ", ".join(f"{name} {s['shape']}" for name, s in meta["splits"].items())
    log.info("%s: %s -> %s", params.data.dataset, shapes, SPLIT_DIR)


if __name__ == "__main__":
    run_stage(main)
