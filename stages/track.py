"""DVC stage `track@<variant>`: log the variant's params, curves, metrics, model and plots to MLflow.

It runs once everything for the variant exists, so each pipeline execution that changes a
variant adds exactly one complete run for it, and an unchanged variant adds none.
"""

import logging

import numpy as np
import pandas as pd

from latentlab.checkpoint import load_checkpoint
from latentlab.cli import run_stage, variant_argument
from latentlab.config import load_params
from latentlab.data import read_meta, read_split
from latentlab.files import read_json, write_json
from latentlab.layout import (
    SPLIT_DIR,
    embed_metrics_file,
    metrics_file,
    model_dir,
    plot_dir,
    run_file,
)
from latentlab.tracking import VariantRun, flatten, log_variant_run

log = logging.getLogger("track")


def main() -> None:
    variant = variant_argument(__doc__)
    params = load_params()
    dataset = read_meta(SPLIT_DIR)["dataset"]
    checkpoint = model_dir(variant) / "best.pt"
    ckpt = load_checkpoint(checkpoint)
    x_test, _ = read_split(SPLIT_DIR, "test")

    effective = {"variant": variant, "data": params.data.model_dump(), "split": params.split.model_dump(),
                 "train": params.variant(variant).model_dump(), "embed": params.embed.model_dump()}
    run = VariantRun(
        variant=variant,
        dataset=dataset,
        experiment=params.tracking.experiment.format(dataset=dataset),
        params=flatten(effective),
        history=pd.read_csv(model_dir(variant) / "history.csv").to_dict("records"),
        metrics={**read_json(metrics_file(variant)), **read_json(embed_metrics_file(variant))},
        artifacts={"checkpoint": [checkpoint, model_dir(variant) / "history.csv"],
                   "plots": sorted(plot_dir(variant).glob("*.png"))},
        model=ckpt.model if params.tracking.log_model else None,
        input_example=np.asarray(x_test[:5]),
    )
    run_id = log_variant_run(run)
    write_json(run_file(variant), {"run_id": run_id, "experiment": run.experiment})


if __name__ == "__main__":
    run_stage(main)
