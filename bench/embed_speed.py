"""2-D maps of 10k codes: latentlab's t-SNE and UMAP beside scikit-learn's TSNE, in one run.

Codes: the 10,000 Fashion-MNIST test images projected to 32-D by PCA fitted on the training
images (or `--codes file.npy`, e.g. embeddings/deep/codes_test.npy after `make run-fashion`).

- t-SNE: scikit-learn's TSNE (defaults) against latentlab's openTSNE set-up (projection.tsne_2d).
  Target: at least 1.5x faster at equal or better trustworthiness.
- UMAP: each fit runs in a fresh process, as a DVC embed stage does, once as umap-learn comes
  (LATENTLAB_PLAIN_UMAP=1) and once with latentlab's on-disk JIT cache and exact kNN.

    python bench/embed_speed.py [--codes file.npy]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from latentlab.config import EmbedConfig
from latentlab.data import FASHION_MNIST_DIR
from latentlab.projection import trustworthiness, tsne_2d

# One fresh process: import and fit, timed together (what each embed stage pays).
UMAP_IN_FRESH_PROCESS = """
import json, sys, time
start = time.perf_counter()
import numpy as np
from latentlab.config import EmbedConfig
from latentlab.projection import umap_2d
codes = np.load(sys.argv[1])
points = umap_2d(codes, EmbedConfig())
np.save(sys.argv[2], points)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def fashion_codes(n: int = 10_000, k: int = 32) -> tuple[np.ndarray, str]:
    from sklearn.decomposition import PCA

    from latentlab.config import DataConfig
    from latentlab.data import load_fashion_mnist

    data = load_fashion_mnist(DataConfig(dataset="fashion_mnist"))
    pca = PCA(n_components=k, random_state=0).fit(data.x[~data.test_mask])
    return pca.transform(data.x[data.test_mask][:n]).astype(np.float32), \
        f"PCA-{k} codes of {n} Fashion-MNIST test images"


def synthetic_codes(n: int = 10_000, k: int = 32) -> tuple[np.ndarray, str]:
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=3.0, size=(10, k))
    labels = rng.integers(0, 10, n)
    codes = centres[labels] + rng.normal(size=(n, k))
    return codes.astype(np.float32), f"{n} synthetic {k}-D codes (Fashion-MNIST is not installed)"


def umap_fresh_process(codes_file: Path, plain: bool) -> tuple[float, np.ndarray]:
    env = {**os.environ, "LATENTLAB_PLAIN_UMAP": "1" if plain else "0"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "map.npy"
        done = subprocess.run([sys.executable, "-c", UMAP_IN_FRESH_PROCESS, str(codes_file), str(out)],
                              env=env, capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])["seconds"], np.load(out)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--codes", type=Path, help="an (n, k) .npy of codes instead of PCA codes")
    args = parser.parse_args()
    if args.codes:
        codes, source = np.load(args.codes).astype(np.float32), str(args.codes)
    elif Path(FASHION_MNIST_DIR).is_dir():
        codes, source = fashion_codes()
    else:
        codes, source = synthetic_codes()
    print(f"codes: {source}, shape {codes.shape}, {os.cpu_count()} cores", flush=True)

    from sklearn.manifold import TSNE

    rows = []
    seconds, points = timed(lambda: TSNE(random_state=0, n_jobs=os.cpu_count()).fit_transform(codes))
    rows.append(("scikit-learn TSNE (defaults)", seconds, trustworthiness(codes, points, 5)))
    print(f"  {rows[-1][0]}: {seconds:.1f}s", flush=True)
    seconds, points = timed(lambda: tsne_2d(codes, EmbedConfig()))
    rows.append(("latentlab t-SNE (openTSNE)", seconds, trustworthiness(codes, points, 5)))
    print(f"  {rows[-1][0]}: {seconds:.1f}s", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        codes_file = Path(tmp) / "codes.npy"
        np.save(codes_file, codes)
        umap_fresh_process(codes_file, plain=False)  # fills the on-disk cache if this machine lacks it
        for label, plain in (("UMAP, fresh process, as umap-learn comes", True),
                             ("UMAP, fresh process, latentlab (JIT cache, exact kNN)", False)):
            seconds, points = umap_fresh_process(codes_file, plain)
            rows.append((label, seconds, trustworthiness(codes, points, 5)))
            print(f"  {label}: {seconds:.1f}s", flush=True)

    print(f"\n| map of {len(codes)} codes | seconds | trustworthiness (k=5) |\n|---|---|---|")
    for label, seconds, trust in rows:
        print(f"| {label} | {seconds:.1f} | {trust:.4f} |")
    (_, sk_s, sk_t), (_, ours_s, ours_t) = rows[0], rows[1]
    met = ours_s * 1.5 <= sk_s and round(ours_t, 4) >= round(sk_t, 4)
    print(f"\nt-SNE speed-up over scikit-learn: {sk_s / ours_s:.2f}x, trustworthiness {ours_t:.4f} vs "
          f"{sk_t:.4f} (target >= 1.5x at equal or better: {'met' if met else 'MISSED'})")
    print(f"UMAP per fresh process: {rows[2][1] / rows[3][1]:.2f}x faster with latentlab's set-up "
          f"({rows[2][1]:.1f}s -> {rows[3][1]:.1f}s)")


if __name__ == "__main__":
    main()
