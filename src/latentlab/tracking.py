"""MLflow: one run per variant per pipeline execution, in one experiment per dataset.

The store is anchored at the repository root, `sqlite:///<root>/mlflow.db`, never at the
current directory, so experiments that DVC runs in a temporary copy of the repository
(`dvc exp run --queue`, `--temp`) log into the same store; `MLFLOW_TRACKING_URI` overrides it
(a team's tracking server).
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

for _name in ("alembic", "mlflow.store.db.utils", "mlflow.tracking.fluent"):
    logging.getLogger(_name).setLevel(logging.WARNING)  # SQLite schema migration chatter


def project_root(start: Path | None = None) -> Path:
    """The repository root: DVC's DVC_ROOT, else the nearest folder above with a dvc.yaml.

    DVC runs queued and temporary experiments in a copy under <root>/.dvc/tmp/exps/; the part
    before `.dvc` is the real repository, whose store those runs belong in.
    """
    root = Path(os.environ.get("DVC_ROOT") or _find_up("dvc.yaml", start or Path.cwd()) or Path.cwd())
    parts = root.resolve().parts
    if ".dvc" in parts:
        root = Path(*parts[: parts.index(".dvc")])
    return root.resolve()


def _find_up(name: str, start: Path) -> Path | None:
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / name).exists():
            return folder
    return None


def tracking_uri(root: Path | None = None) -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{(root or project_root()) / 'mlflow.db'}"


def git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                             check=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def flatten(tree: dict, prefix: str = "") -> dict[str, Any]:
    """{'a': {'b': 1}} -> {'a.b': 1}; lists stay whole values."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


@dataclass
class VariantRun:
    """Everything one variant's MLflow run holds, gathered from the stage outputs."""

    variant: str
    dataset: str
    experiment: str
    params: dict[str, Any]  # flat, effective
    history: list[dict]  # rows of epoch, train_loss, val_loss, ...
    metrics: dict[str, float]
    artifacts: dict[str, list[Path]] = field(default_factory=dict)  # artifact dir -> files
    model: Any = None  # a torch module to log in MLflow's model format
    input_example: Any = None  # a few input rows (numpy) for the signature


def log_variant_run(run: VariantRun, root: Path | None = None) -> str:
    """Create the run, log everything, return its id."""
    import mlflow
    from mlflow.entities import Metric, Param

    root = root or project_root()
    local_store = "MLFLOW_TRACKING_URI" not in os.environ  # read before set_tracking_uri sets it
    mlflow.set_tracking_uri(tracking_uri(root))
    experiment_id = _experiment_id(run.experiment, root / "mlartifacts" if local_store else None)
    tags = {"variant": run.variant, "dataset": run.dataset}
    if commit := git_commit(root):
        tags.update({"git_commit": commit, "mlflow.source.git.commit": commit})
    if exp_name := os.environ.get("DVC_EXP_NAME"):
        tags["dvc_exp_name"] = exp_name
    client = mlflow.MlflowClient()
    with mlflow.start_run(experiment_id=experiment_id, run_name=run.variant, tags=tags) as active:
        run_id = active.info.run_id
        params = [Param(k, _param_value(v)) for k, v in sorted(run.params.items())]
        now = int(time.time() * 1000)
        metrics = [Metric(key, float(row[key]), now, int(row["epoch"]))
                   for row in run.history for key in row if key not in ("epoch", "seconds")]
        metrics += [Metric(k, float(v), now, 0) for k, v in sorted(run.metrics.items())]
        for chunk in _chunks(params, 100):
            client.log_batch(run_id, params=chunk)
        for chunk in _chunks(metrics, 1000):
            client.log_batch(run_id, metrics=chunk)
        for artifact_dir, files in run.artifacts.items():
            for path in files:
                mlflow.log_artifact(str(path), artifact_path=artifact_dir)
        if run.model is not None:
            _log_model(run.model, run.input_example)
    log.info("MLflow run %s (%s) in experiment '%s' at %s", run_id, run.variant, run.experiment,
             tracking_uri(root))
    return run_id


def _experiment_id(name: str, artifact_root: Path | None) -> str:
    """The experiment's id, creating it with its artifacts under `artifact_root` if given."""
    import mlflow

    found = mlflow.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = (artifact_root / name).as_uri() if artifact_root else None
    return mlflow.create_experiment(name, artifact_location=location)


def _log_model(model, input_example) -> None:
    """The model in MLflow's format, with a signature inferred from a few real inputs.

    MLflow 3 saves PyTorch models with torch.export (pt2): a self-contained program, so loading
    it needs neither latentlab's code nor unpickling.
    """
    import mlflow
    import torch
    from mlflow.models import infer_signature

    model = model.eval()
    with torch.no_grad():
        output = model(torch.as_tensor(input_example)).numpy()
    mlflow.pytorch.log_model(
        model,
        name="model",
        signature=infer_signature(input_example, output),
        input_example=input_example,
        # explicit requirements: inferring them would import the model in a subprocess
        pip_requirements=[f"torch=={torch.__version__.split('+')[0]}"],
    )


def _param_value(value: Any) -> str:
    return str(value)[:6000]  # MLflow's limit on a param value


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
