"""Each kind of variant gets the figures that apply to it."""

import numpy as np
import pandas as pd
import pytest
import torch

from latentlab.checkpoint import Checkpoint
from latentlab.config import parse_params
from latentlab.evaluation import encode
from latentlab.figures import VariantOutputs, decoder_unit_images, variant_figures
from latentlab.models import build_model

META = {"class_names": [str(c) for c in range(10)], "classes": list(range(10)), "image_shape": [8, 8]}
VARIANTS = {
    "ae": ({}, {"reconstructions", "units", "code_activations", "loss_curves", "latent_tsne"},
           {"denoising", "confusion_matrix"}),
    "dae": ({"corruption": {"kind": "masking", "p": 0.2}}, {"denoising", "reconstructions"}, set()),
    "clf": ({"objective": "classify"}, {"confusion_matrix", "latent_tsne"}, {"reconstructions", "units"}),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_figures_per_kind_of_variant(name, digits_split):
    overrides, present, absent = VARIANTS[name]
    cfg = parse_params({"variants": {name: overrides}}).variant(name)
    model = build_model(cfg, 64, 10).eval()
    x, y = digits_split["test"]
    outputs = VariantOutputs(
        variant=name, ckpt=Checkpoint(model, cfg, name, 64, 10, {}), meta=META,
        history=pd.DataFrame({"epoch": [1, 2], "train_loss": [0.2, 0.1], "val_loss": [0.3, 0.2]}),
        maps={"tsne": np.random.default_rng(0).normal(size=(len(y), 2))}, map_labels=y,
        codes_test=encode(model, x), test=(x, y))
    names = set()
    for figure_name, figure in variant_figures(outputs):
        names.add(figure_name)
        figure.clf()
    assert present <= names and not absent & names


def test_unit_images_of_a_linear_decoder_are_its_weight_vectors():
    linear = {"activation": "identity", "code_activation": "identity", "output_activation": "identity"}
    cfg = parse_params({"variants": {"lin": {"model": linear}}}).variant("lin")
    model = build_model(cfg, 64, 10).eval()
    codes = np.random.default_rng(0).normal(size=(500, 4)).astype(np.float32)
    images = decoder_unit_images(model, codes)
    weights = model.decoder[0].weight.detach().numpy().T  # (k, d): unit j's weight vector
    order = np.argsort(-codes.std(axis=0))
    expected = 2 * codes.std(axis=0)[order, None] * weights[order]
    assert torch.allclose(torch.as_tensor(images), torch.as_tensor(expected), atol=1e-5)
