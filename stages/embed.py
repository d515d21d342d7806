"""DVC stage `embed@<variant>`: latent codes of every split and their 2-D maps, scored."""

import logging

import numpy as np

from latentlab.checkpoint import load_checkpoint
from latentlab.cli import run_stage, variant_argument
from latentlab.config import load_params
from latentlab.data import SPLITS, read_split
from latentlab.evaluation import encode
from latentlab.files import atomic_dir, write_json
from latentlab.layout import SPLIT_DIR, embed_metrics_file, embedding_dir, model_dir
from latentlab.projection import knn_accuracy, project_all, stratified_subsample, trustworthiness

log = logging.getLogger("embed")


def main() -> None:
    variant = variant_argument(__doc__)
    cfg = load_params().embed
    model = load_checkpoint(model_dir(variant) / "best.pt").model
    splits = {name: read_split(SPLIT_DIR, name) for name in SPLITS}
    codes = {name: encode(model, x) for name, (x, _) in splits.items()}

    mapped = SPLITS if cfg.split == "all" else (cfg.split,)
    z = np.concatenate([codes[s] for s in mapped])
    y = np.concatenate([splits[s][1] for s in mapped])
    keep = stratified_subsample(y, cfg.max_points, cfg.seed)
    z, y = z[keep], y[keep]
    methods = ["latent"] if z.shape[1] == 2 else cfg.methods  # a 2-D code is its own map

    metrics, maps = {}, {}
    for method, (points, seconds) in project_all(z, methods, cfg).items():
        maps[method] = points
        metrics[f"seconds_{method}"] = seconds
        metrics[f"trustworthiness_{method}"] = trustworthiness(z, maps[method], cfg.k)
        metrics[f"knn2d_acc_{method}"] = knn_accuracy(maps[method], y, cfg.k)
        log.info("%s: %s map of %d codes in %.1fs, trustworthiness %.3f, 2-D kNN accuracy %.3f",
                 variant, method, len(z), metrics[f"seconds_{method}"],
                 metrics[f"trustworthiness_{method}"], metrics[f"knn2d_acc_{method}"])

    with atomic_dir(embedding_dir(variant)) as out:
        for name, array in codes.items():
            np.save(out / f"codes_{name}.npy", array)
        for method, points in maps.items():
            np.save(out / f"map_{method}.npy", points)
        np.save(out / "map_labels.npy", y)
    write_json(embed_metrics_file(variant), metrics)


if __name__ == "__main__":
    run_stage(main)
