"""DVC stage `train@<variant>`: fit the variant, keep its best checkpoint and loss history."""

import logging

import pandas as pd

from latentlab.checkpoint import save_checkpoint
from latentlab.cli import run_stage, variant_argument
from latentlab.config import load_params
from latentlab.data import read_meta, read_split
from latentlab.files import atomic_dir
from latentlab.layout import SPLIT_DIR, model_dir
from latentlab.models import build_model
from latentlab.training import fit

log = logging.getLogger("train")


def main() -> None:
    variant = variant_argument(__doc__)
    params = load_params()
    cfg = params.variant(variant)
    meta = read_meta(SPLIT_DIR)
    train = read_split(SPLIT_DIR, "train", in_memory=params.data.in_memory)
    val = read_split(SPLIT_DIR, "val", in_memory=params.data.in_memory)

    model = build_model(cfg, meta["input_dim"], len(meta["classes"]))
    log.info("%s: %s", variant, model)
    result = fit(model, train, val, cfg)

    with atomic_dir(model_dir(variant)) as out:
        info = {"best_epoch": result.best_epoch, "best_val_loss": result.best_val_loss,
                "epochs_run": len(result.history), "stopped_early": result.stopped_early}
        save_checkpoint(out / "best.pt", model, variant=variant, config=cfg,
                        input_dim=meta["input_dim"], n_classes=len(meta["classes"]), info=info)
        pd.DataFrame(result.history).to_csv(out / "history.csv", index=False)
    log.info("%s: best val_loss %.6f at epoch %d -> %s", variant, result.best_val_loss,
             result.best_epoch, model_dir(variant))


if __name__ == "__main__":
    run_stage(main)
