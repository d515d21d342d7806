"""A checkpoint round-trips: the rebuilt model computes exactly what the saved one did."""

import pytest
import torch

from latentlab.checkpoint import load_checkpoint, save_checkpoint
from latentlab.config import parse_params
from latentlab.errors import LatentlabError
from latentlab.models import build_model


def test_round_trip_rebuilds_the_same_model(tmp_path):
    cfg = parse_params({"variants": {"deep": {"model": {"hidden": [32], "latent": 3}}}}).variant("deep")
    model = build_model(cfg, 64, 10)
    with torch.no_grad():
        model.encoder[0].weight.mul_(2.0)  # not the initial weights
    path = tmp_path / "best.pt"
    save_checkpoint(path, model, variant="deep", config=cfg, input_dim=64, n_classes=10,
                    info={"best_epoch": 7})

    # weights_only=True: the file holds only tensors and plain data
    assert set(torch.load(path, weights_only=True)) >= {"state_dict", "config"}
    ckpt = load_checkpoint(path)
    x = torch.rand(6, 64)
    assert ckpt.variant == "deep" and ckpt.info["best_epoch"] == 7
    assert ckpt.config == cfg
    assert torch.equal(ckpt.model.reconstruct(x), model.eval().reconstruct(x))
    assert not list(tmp_path.glob(".*tmp*")), "no temporary file left behind"


def test_missing_and_corrupt_checkpoints_are_named(tmp_path):
    with pytest.raises(LatentlabError, match="does not exist"):
        load_checkpoint(tmp_path / "none.pt")
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(LatentlabError, match="bad.pt is not a readable latentlab checkpoint"):
        load_checkpoint(bad)
