"""The model built from a spec: shapes, the verbs, and what each variant's spec means."""

import torch
from torch import nn

from latentlab.config import parse_params
from latentlab.models import build_model


def make(overrides: dict, input_dim: int = 64, n_classes: int = 10):
    cfg = parse_params({"variants": {"v": overrides}}).variant("v")
    return build_model(cfg, input_dim, n_classes)


def test_deep_autoencoder_shapes_mirror_the_encoder():
    model = make({"model": {"hidden": [32, 16], "latent": 4}})
    x = torch.rand(5, 64)
    assert model.encode(x).shape == (5, 4)
    assert model.decode(torch.rand(5, 4)).shape == (5, 64)
    assert model.reconstruct(x).shape == (5, 64)
    sizes = [m.out_features for m in model.modules() if isinstance(m, nn.Linear)]
    assert sizes == [32, 16, 4, 16, 32, 64]


def test_linear_autoencoder_has_no_nonlinearity():
    model = make({"model": {"activation": "identity", "code_activation": "identity",
                            "output_activation": "identity"}})
    assert all(isinstance(m, (nn.Linear, nn.Sequential, type(model))) for m in model.modules())
    x, y = torch.rand(3, 64), torch.rand(3, 64)
    # linear up to the bias: f(x + y) - f(0) == f(x) - f(0) + f(y) - f(0)
    f = model.reconstruct
    zero = torch.zeros(1, 64)
    assert torch.allclose(f(x + y) - f(zero), f(x) - f(zero) + f(y) - f(zero), atol=1e-5)


def test_sigmoid_output_lies_in_unit_interval():
    model = make({"model": {"output_activation": "sigmoid"}})
    out = model.reconstruct(torch.randn(8, 64) * 10)
    assert out.min() >= 0 and out.max() <= 1


def test_classifier_has_a_head_on_the_bottleneck_and_no_decoder():
    model = make({"objective": "classify", "model": {"latent": 2}})
    x = torch.rand(4, 64)
    assert model.is_classifier
    assert model.encode(x).shape == (4, 2)
    assert model(x).shape == (4, 10)
    assert model.decoder is None


def test_same_seed_same_initial_weights():
    a, b = make({"seed": 3}), make({"seed": 3})
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
