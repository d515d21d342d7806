"""DVC stage `baseline`: the probes on the raw inputs, once for all variants to be read against."""

import logging

from latentlab.cli import run_stage
from latentlab.data import read_split
from latentlab.evaluation import probe_metrics
from latentlab.files import write_json
from latentlab.layout import BASELINE_FILE, SPLIT_DIR

log = logging.getLogger("baseline")


def main() -> None:
    x_train, y_train = read_split(SPLIT_DIR, "train")
    x_test, y_test = read_split(SPLIT_DIR, "test")
    metrics = probe_metrics(x_train, y_train, x_test, y_test, prefix="raw_")
    write_json(BASELINE_FILE, metrics)
    log.info("raw inputs: %s", ", ".join(f"{k} {v:.4f}" for k, v in metrics.items()))


if __name__ == "__main__":
    run_stage(main)
