"""A checkpoint is the weights plus the config that rebuilds the model around them.

Everything in it is a tensor or plain data (dicts, lists, strings, numbers), so it loads with
`torch.load(..., weights_only=True)`: no pickled code runs when a checkpoint is opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from .config import TrainConfig
from .errors import LatentlabError
from .files import atomic_file
from .models import LatentModel, build_model

FORMAT_VERSION = 1


@dataclass
class Checkpoint:
    model: LatentModel
    config: TrainConfig
    variant: str
    input_dim: int
    n_classes: int
    info: dict  # best_epoch, best_val_loss, ...


def save_checkpoint(path: str | Path, model: LatentModel, *, variant: str, config: TrainConfig,
                    input_dim: int, n_classes: int, info: dict | None = None) -> None:
    payload = {
        "format": FORMAT_VERSION,
        "variant": variant,
        "config": config.model_dump(mode="json"),
        "input_dim": input_dim,
        "n_classes": n_classes,
        "info": info or {},
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
    }
    with atomic_file(path) as tmp:
        torch.save(payload, tmp)


def load_checkpoint(path: str | Path) -> Checkpoint:
    """Rebuild the model from its stored config and load the weights; eval mode, on the CPU."""
    path = Path(path)
    if not path.is_file():
        raise LatentlabError(f"{path} does not exist; run the train stage first (dvc repro).")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
        config = TrainConfig.model_validate(payload["config"])
        model = build_model(config, payload["input_dim"], payload["n_classes"])
        model.load_state_dict(payload["state_dict"])
    except LatentlabError:
        raise
    except Exception as err:  # a truncated, foreign or older file: say which and why
        raise LatentlabError(f"{path} is not a readable latentlab checkpoint ({err}).") from err
    model.eval()
    return Checkpoint(model, config, payload["variant"], payload["input_dim"],
                      payload["n_classes"], payload.get("info", {}))
