"""DVC stage `compare`: one table and chart comparing every variant of params.yaml."""

import logging

from latentlab.cli import run_stage
from latentlab.config import load_params
from latentlab.data import read_meta
from latentlab.layout import REPORTS_DIR, SPLIT_DIR
from latentlab.report import summary_table, write_summary

log = logging.getLogger("compare")


def main() -> None:
    table = summary_table(list(load_params().variants))
    write_summary(table, read_meta(SPLIT_DIR)["dataset"], REPORTS_DIR)
    log.info("summary of %d variants -> %s", len(table), REPORTS_DIR / "summary.md")


if __name__ == "__main__":
    run_stage(main)
