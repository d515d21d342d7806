"""params.yaml validation: the shipped file is valid; bad input fails with one clear sentence."""

import pytest
import yaml
from pydantic import ValidationError

from latentlab.config import load_params, parse_params
from latentlab.errors import LatentlabError

from .conftest import ROOT


def test_shipped_params_are_valid():
    params = load_params(ROOT / "params.yaml")
    assert {"linear", "ae", "deep"} <= set(params.variants)
    assert params.variant("linear").model.activation == "identity"


def test_variant_inherits_train_defaults_and_overrides_deeply():
    params = parse_params({
        "train": {"epochs": 7, "model": {"latent": 3, "hidden": [16]}},
        "variants": {"a": {"model": {"latent": 5}}, "b": None},
    })
    a, b = params.variant("a"), params.variant("b")
    assert (a.epochs, a.model.latent, a.model.hidden) == (7, 5, [16])
    assert (b.model.latent, b.model.hidden) == (3, [16])


def test_config_is_frozen():
    params = parse_params({"variants": {"a": {}}})
    with pytest.raises(ValidationError, match="frozen"):
        params.train.epochs = 3


@pytest.mark.parametrize("raw, expected", [
    ({"variants": {"a": {"regularizer": {"kind": "kl", "rho": 1.5}}}},
     "variants.a.regularizer.rho must be in (0, 1), got 1.5"),
    ({"variants": {"a": {"corruption": {"kind": "gaussian", "sigma": -0.1}}}},
     "variants.a.corruption.sigma must be in [0, inf), got -0.1"),
    ({"variants": {"a": {"optimzer": {"name": "Adam"}}}},
     "variants.a.optimzer is not a known key; allowed here: objective, model"),
    ({"train": {"epochs": 0}, "variants": {"a": {}}},
     "train.epochs must be greater than or equal to 1, got 0"),
    ({"train": {"batch_size": "many"}, "variants": {"a": {}}}, "train.batch_size must be a valid integer"),
    ({"split": {"train": 0.5}, "variants": {"a": {}}}, "split: train + val + test must sum to 1, got 0.7"),
    ({"variants": {"a": {"optimizer": {"name": "Adamm"}}}},
     "variants.a.optimizer.name must be a torch.optim optimizer, one of: "),
    ({"variants": {"a": {"optimizer": {"name": "SGD", "kwargs": {"betas": [0.9, 0.99]}}}}},
     "torch.optim.SGD takes no argument 'betas'"),
    ({"variants": {"a": {"loss": "mae"}}}, "variants.a.loss must be 'mse' or 'bce', got 'mae'"),
    ({"variants": {"a": {"loss": "bce", "model": {"output_activation": "identity"}}}},
     "loss 'bce' needs model.output_activation 'sigmoid'"),
    ({"variants": {"bad name": {}}}, "'bad name' is not a valid variant name"),
    ({"variants": {}}, "variants: must name at least one variant"),
    ({}, "variants is required"),
    ({"variants": {"a": 3}}, "variants.a must be a mapping of train keys to override, got 3"),
    ({"variants": {"a": {}}, "extra": 1}, "extra is not a known key"),
    ({"data": {"dataset": "imagenet"}, "variants": {"a": {}}}, "data.dataset must be 'digits'"),
    ({"embed": {"methods": ["tsne", "tsne"]}, "variants": {"a": {}}}, "embed.methods must list each"),
])
def test_bad_params_fail_with_one_sentence_naming_the_key(raw, expected):
    with pytest.raises(LatentlabError) as info:
        parse_params(raw)
    message = str(info.value)
    assert message.startswith("params.yaml: ")
    assert expected in message
    assert "\n" not in message


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(LatentlabError, match="does not exist"):
        load_params(tmp_path / "params.yaml")
    bad = tmp_path / "params.yaml"
    bad.write_text("train: [unclosed\n")
    with pytest.raises(LatentlabError, match="is not valid YAML at line"):
        load_params(bad)


def test_unknown_variant_is_named():
    params = parse_params({"variants": {"a": {}}})
    with pytest.raises(LatentlabError, match="there is no variant 'b'; variants are: a"):
        params.variant("b")


def test_every_optimizer_of_the_course_is_accepted():
    for name in ("SGD", "Adagrad", "Adam", "Adamax", "AdamW", "RMSprop"):
        raw = yaml.safe_load(f"variants: {{a: {{optimizer: {{name: {name}, lr: 0.01}}}}}}")
        assert parse_params(raw).variant("a").optimizer.name == name


def test_per_dataset_overrides_apply_to_the_chosen_dataset_only():
    raw = {"train": {"epochs": 5},
           "variants": {"a": {"model": {"latent": 4}}, "b": {}},
           "datasets": {"fashion_mnist": {"train": {"epochs": 9, "batch_size": 256},
                                          "variants": {"a": {"model": {"latent": 32}}},
                                          "split": {"train": 0.9, "val": 0.1, "test": "source"}}}}
    digits = parse_params(raw)
    assert (digits.variant("a").epochs, digits.variant("a").model.latent) == (5, 4)
    fashion = parse_params({**raw, "data": {"dataset": "fashion_mnist"}})
    assert (fashion.variant("a").epochs, fashion.variant("a").model.latent) == (9, 32)
    assert fashion.variant("b").batch_size == 256 and fashion.split.test == "source"


@pytest.mark.parametrize("datasets, expected", [
    ({"fashion_mnist": {"train": {"epochs": 0}}}, "datasets.fashion_mnist.train.epochs must be greater"),
    ({"fashion_mnist": {"variants": {"zz": {}}}}, "datasets.fashion_mnist.variants.zz is not a variant"),
    ({"fashion_mnist": {"data": {}}}, "datasets.fashion_mnist.data cannot be set per dataset"),
    ({"mnist": {}}, "datasets.mnist is not a dataset"),
])
def test_bad_per_dataset_overrides_are_named_where_written(datasets, expected):
    with pytest.raises(LatentlabError, match=expected):
        parse_params({"data": {"dataset": "fashion_mnist"}, "variants": {"a": {}}, "datasets": datasets})


def test_an_inherited_bad_value_is_named_where_written():
    with pytest.raises(LatentlabError, match=r"^params.yaml: train.model.latent must be"):
        parse_params({"train": {"model": {"latent": 0}}, "variants": {"a": {}}})
