"""End to end: `dvc repro` of a tiny config in a temporary git repository, with a real SQLite
MLflow store; then a no-op repro, a one-variant change, and a bad parameter."""

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from .conftest import ROOT

pytestmark = pytest.mark.slow

VARIANTS = ("linear", "deep")


def sh(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MLFLOW_TRACKING_URI", "DVC_ROOT")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # the venv's python and dvc
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def ran_stages(output: str) -> set[str]:
    return set(re.findall(r"Running stage '([^']+)'", output))


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A git clone of the working tree with a tiny params.yaml, after one `dvc repro`."""
    repo = tmp_path_factory.mktemp("clone")
    files = sh(["git", "ls-files", "-co", "--exclude-standard"], ROOT).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    params["train"].update(epochs=6, patience=None)
    params["variants"] = {name: params["variants"][name] for name in VARIANTS}
    for overrides in params["datasets"].values():
        if "variants" in overrides:
            overrides["variants"] = {k: v for k, v in overrides["variants"].items() if k in VARIANTS}
    params["embed"]["max_points"] = 400
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    sh(["git", "init", "-q"], repo)
    sh(["git", "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"], repo)
    sh(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "tiny"], repo)
    first = sh(["dvc", "repro"], repo)
    (repo / "first_repro.log").write_text(first.stdout)
    return repo


def mlflow_runs(repo: Path):
    import mlflow

    mlflow.set_tracking_uri(f"sqlite:///{repo / 'mlflow.db'}")
    return mlflow.search_runs(experiment_names=["latentlab-digits"])


def test_every_stage_ran_and_wrote_its_outputs(repo):
    log = (repo / "first_repro.log").read_text()
    expected = {"split", "baseline", "compare"} | {f"{stage}@{v}" for stage in
                                       ("train", "evaluate", "embed", "visualize", "track") for v in VARIANTS}
    assert ran_stages(log) == expected
    meta = json.loads((repo / "data/split/meta.json").read_text())
    assert meta["dataset"] == "digits" and meta["splits"]["train"]["shape"] == [1437, 64]
    for v in VARIANTS:
        assert (repo / f"models/{v}/best.pt").is_file()
        history = (repo / f"models/{v}/history.csv").read_text().splitlines()
        assert history[0] == "epoch,train_loss,val_loss,seconds" and len(history) == 7
        metrics = json.loads((repo / f"metrics/{v}.json").read_text())
        assert metrics["test_mse"] > 0 and metrics["pca_mse"] > 0
        assert metrics["mse_vs_pca"] == pytest.approx(metrics["test_mse"] / metrics["pca_mse"])
        embed = json.loads((repo / f"metrics/{v}_embed.json").read_text())
        for method in ("pca", "tsne", "umap"):
            assert 0.5 < embed[f"trustworthiness_{method}"] <= 1.0
            assert 0.0 < embed[f"knn2d_acc_{method}"] <= 1.0
            assert (repo / f"plots/{v}/latent_{method}.png").stat().st_size > 10_000
        assert {p.name for p in (repo / f"embeddings/{v}").iterdir()} >= {
            "codes_train.npy", "codes_val.npy", "codes_test.npy", "map_tsne.npy", "map_labels.npy"}
        assert (repo / f"plots/{v}/reconstructions.png").is_file()
        assert (repo / f"plots/{v}/loss_curves.png").is_file()
    summary = pd.read_csv(repo / "reports/summary.csv", index_col="variant")
    assert list(summary.index) == list(VARIANTS)
    assert {"test_mse", "pca_mse", "mse_vs_pca", "probe_logreg_acc", "pca_probe_knn_acc",
            "raw_probe_logreg_acc", "code_mean_activation", "trustworthiness_umap", "train_seconds",
            "mlflow_run_id"} <= set(summary.columns)
    assert "| linear " in (repo / "reports/summary.md").read_text()
    for figure in ("mse_vs_pca", "probe_accuracy", "code_activations"):
        assert (repo / f"reports/{figure}.png").is_file()


def test_mlflow_holds_one_complete_run_per_variant(repo):
    import mlflow

    runs = mlflow_runs(repo)
    assert sorted(runs["tags.variant"]) == sorted(VARIANTS)
    commit = sh(["git", "rev-parse", "HEAD"], repo).stdout.strip()
    client = mlflow.MlflowClient()
    for _, run in runs.iterrows():
        v = run["tags.variant"]
        assert run["tags.mlflow.runName"] == v and run["tags.dataset"] == "digits"
        assert run["tags.git_commit"] == commit
        assert run["params.train.epochs"] == "6" and "params.embed.perplexity" in run
        assert run["metrics.test_mse"] == pytest.approx(
            json.loads((repo / f"metrics/{v}.json").read_text())["test_mse"])
        assert "metrics.trustworthiness_tsne" in run
        steps = [m.step for m in client.get_metric_history(run.run_id, "val_loss")]
        assert steps == [1, 2, 3, 4, 5, 6]
        artifacts = {a.path for d in ("plots", "checkpoint") for a in client.list_artifacts(run.run_id, d)}
        assert {"checkpoint/best.pt", "plots/latent_umap.png", "plots/reconstructions.png"} <= artifacts
        models = mlflow.search_logged_models(experiment_ids=[run.experiment_id], output_format="list")
        logged = [m for m in models if m.source_run_id == run.run_id]
        assert len(logged) == 1
        model = mlflow.pyfunc.load_model(logged[0].model_uri)
        assert model.metadata.signature is not None
    assert str(repo) in runs["artifact_uri"].iloc[0], "artifacts are anchored at the repository root"


def test_second_repro_does_nothing_and_adds_no_run(repo):
    before = len(mlflow_runs(repo))
    again = sh(["dvc", "repro"], repo)
    assert ran_stages(again.stdout) == set()
    assert "Data and pipelines are up to date" in sh(["dvc", "status"], repo).stdout
    assert len(mlflow_runs(repo)) == before


def test_changing_one_variant_reruns_only_that_variant(repo):
    """The README's way to change a variant: a DVC experiment with one parameter set."""
    before = len(mlflow_runs(repo))
    result = sh(["dvc", "exp", "run", "-n", "latent3", "-S", "++variants.deep.model.latent=3"], repo)
    assert ran_stages(result.stdout) == {f"{s}@deep" for s in
                                         ("train", "evaluate", "embed", "visualize", "track")} | {"compare"}
    assert json.loads((repo / "metrics/deep.json").read_text())["latent_dim"] == 3
    runs = mlflow_runs(repo)
    assert len(runs) == before + 1
    assert runs.sort_values("start_time")["tags.dvc_exp_name"].iloc[-1] == "latent3"
    table = pd.read_csv(io.StringIO(sh(["dvc", "exp", "show", "--no-pager", "--csv"], repo).stdout))
    experiment = table[table["Experiment"] == "latent3"].iloc[0]
    assert float(experiment["metrics/deep.json:latent_dim"]) == 3, "dvc exp show reads the metrics"
    assert float(experiment["metrics/deep.json:test_mse"]) > 0


def test_bad_parameter_stops_with_one_sentence_and_keeps_results(repo):
    good = (repo / "params.yaml").read_text()
    metrics_before = (repo / "metrics/deep.json").read_text()
    params = yaml.safe_load(good)
    params["variants"]["deep"]["regularizer"] = {"kind": "kl", "rho": 1.5}
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    direct = sh(["python", "stages/train.py", "deep"], repo, check=False)
    assert direct.returncode == 1
    assert direct.stderr.strip() == (
        "error: params.yaml: variants.deep.regularizer.rho must be in (0, 1), got 1.5.")
    model_before = (repo / "models/deep/best.pt").read_bytes()
    failed = sh(["dvc", "repro"], repo, check=False)
    assert failed.returncode != 0 and "rho must be in (0, 1), got 1.5" in failed.stderr + failed.stdout
    assert (repo / "models/deep/best.pt").read_bytes() == model_before, "the last good model stays"
    assert (repo / "metrics/deep.json").read_text() == metrics_before
    assert not list(repo.glob("models/.*tmp*")), "nothing half-written"
    (repo / "params.yaml").write_text(good)
    assert ran_stages(sh(["dvc", "repro"], repo).stdout) == set()
