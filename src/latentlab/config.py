"""params.yaml as typed, validated, frozen configuration.

One pydantic model per section. Everything is checked at load, before any work: unknown keys,
wrong types and out-of-range values raise a `LatentlabError` whose message is one sentence
naming the key path, the value and what is allowed, e.g.

    params.yaml: variants.sparse_kl.regularizer.rho must be in (0, 1), got 1.5

A variant is data: `variants.<name>` holds overrides that are deep-merged onto the `train`
defaults, and the merged mapping is validated as a full `TrainConfig`.
"""

from __future__ import annotations

import copy
import inspect
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import LatentlabError

PARAMS_FILE = "params.yaml"


# --- reusable constraints with messages a user can act on ---------------------------------


def _interval(low: float, high: float | None = None, include_low: bool = False):
    """A validator for low < v < high (low <= v with `include_low`); no `high` means no bound."""
    text = f"in {'[' if include_low else '('}{low:g}, {'inf' if high is None else f'{high:g}'})"

    def check(value: float) -> float:
        above = value >= low if include_low else value > low
        if not (above and (high is None or value < high)):
            raise PydanticCustomError("interval", f"must be {text}")
        return value

    return AfterValidator(check)


Fraction = Annotated[float, _interval(0, 1)]  # strictly between 0 and 1
Probability = Annotated[float, _interval(0, 1, include_low=True)]  # 0 <= p < 1
NonNegative = Annotated[float, _interval(0, include_low=True)]
Positive = Annotated[float, _interval(0)]
Count = Annotated[int, Field(ge=1)]

Activation = Literal["identity", "relu", "leaky_relu", "elu", "gelu", "sigmoid", "tanh"]


class Section(BaseModel):
    """Base of every section: frozen, and unknown keys are errors that list the known ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if key not in cls.model_fields:
                    raise PydanticCustomError(
                        "unknown_key",
                        "is not a known key; allowed here: {allowed}",
                        {"key": str(key), "allowed": ", ".join(cls.model_fields)},
                    )
        return data


# --- sections ------------------------------------------------------------------------------


class DataConfig(Section):
    dataset: Literal["digits", "fashion_mnist", "npz", "csv"] = "digits"
    path: str | None = None  # IDX directory (fashion_mnist) or file (npz, csv)
    label_column: str = "label"  # csv only
    in_memory: bool = True  # false: stream batches from memory-mapped arrays on disk

    @model_validator(mode="after")
    def _path_when_needed(self) -> DataConfig:
        if self.dataset in ("npz", "csv") and not self.path:
            raise PydanticCustomError(
                "path_required", f"dataset '{self.dataset}' needs data.path, the file to read"
            )
        return self


class SplitConfig(Section):
    train: Fraction = 0.8
    val: Fraction = 0.1
    test: Fraction | Literal["source"] = 0.1  # "source": the dataset's own test set
    seed: int = 0

    @model_validator(mode="after")
    def _sum_to_one(self) -> SplitConfig:
        parts = ("train", "val") if self.test == "source" else ("train", "val", "test")
        total = sum(getattr(self, p) for p in parts)
        if abs(total - 1.0) > 1e-6:
            raise PydanticCustomError("ratios", f"{' + '.join(parts)} must sum to 1, got {total:g}")
        return self


class ModelSpec(Section):
    """Encoder input -> hidden... -> latent; the decoder mirrors it back to the input size."""

    hidden: list[Count] = []
    latent: Count = 4
    activation: Activation = "relu"  # f of the hidden layers
    code_activation: Activation = "identity"  # f of the code z
    output_activation: Activation = "sigmoid"  # f of the reconstruction x'


class RegularizerSpec(Section):
    """Omega(z) added to the reconstruction loss (sparse autoencoders)."""

    kind: Literal["none", "kl", "l1"] = "none"
    rho: Fraction = 0.05  # kl: target mean activation of each code unit
    beta: NonNegative = 3.0  # kl: weight of sum_j KL(rho || rho_hat_j)
    lam: NonNegative = 1e-3  # l1: weight of sum_i |z_i|


class CorruptionSpec(Section):
    """Input corruption of a denoising autoencoder; the loss still targets the clean input."""

    kind: Literal["none", "gaussian", "masking"] = "none"
    sigma: NonNegative = 0.3  # gaussian: std of the added noise
    clip: bool = True  # gaussian: clip the corrupted input to [0, 1]
    p: Probability = 0.3  # masking: probability that a pixel is set to 0
    seed: int = 0  # seed of the fixed corruption of validation and test data


class OptimizerSpec(Section):
    """Any torch.optim optimizer by class name; `kwargs` go to its constructor."""

    name: str = "Adam"
    lr: Positive = 1e-3
    weight_decay: NonNegative = 0.0
    kwargs: dict[str, float | int | bool | list[float]] = {}

    @field_validator("name")
    @classmethod
    def _exists_in_torch(cls, name: str) -> str:
        optimizer_class(name)  # raises with the list of usable names
        return name

    @model_validator(mode="after")
    def _kwargs_accepted(self) -> OptimizerSpec:
        accepted = inspect.signature(optimizer_class(self.name)).parameters
        for key in ["weight_decay", *self.kwargs]:
            if key not in accepted:
                raise PydanticCustomError(
                    "optimizer_kwarg",
                    f"torch.optim.{self.name} takes no argument '{key}'; it takes: "
                    + ", ".join(p for p in accepted if p != "params"),
                )
        return self


class TrainConfig(Section):
    """Everything that defines one variant's model and its training."""

    objective: Literal["reconstruct", "classify"] = "reconstruct"
    model: ModelSpec = Field(default_factory=ModelSpec)
    loss: Literal["mse", "bce"] = "mse"  # reconstruction loss; classify always uses cross-entropy
    regularizer: RegularizerSpec = Field(default_factory=RegularizerSpec)
    corruption: CorruptionSpec = Field(default_factory=CorruptionSpec)
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec)
    epochs: Count = 100
    batch_size: Count = 64
    patience: Count | None = 10  # epochs without validation improvement before stopping
    min_delta: NonNegative = 0.0  # smallest decrease of the validation loss that counts
    seed: int = 0
    device: Literal["cpu", "cuda", "auto"] = "cpu"

    @model_validator(mode="after")
    def _consistent(self) -> TrainConfig:
        if self.loss == "bce" and self.model.output_activation != "sigmoid":
            raise PydanticCustomError(
                "consistency",
                "loss 'bce' needs model.output_activation 'sigmoid' (outputs in [0, 1])",
            )
        if self.regularizer.kind == "kl" and self.model.code_activation != "sigmoid":
            raise PydanticCustomError(
                "consistency",
                "regularizer 'kl' needs model.code_activation 'sigmoid' (rho_hat must lie in (0, 1))",
            )
        return self


class EmbedConfig(Section):
    methods: list[Literal["pca", "tsne", "umap"]] = ["pca", "tsne", "umap"]
    split: Literal["train", "val", "test", "all"] = "all"  # which codes are mapped to 2-D
    max_points: Count = 10_000  # stratified subsample cap for the 2-D maps
    perplexity: Positive = 30.0  # t-SNE
    tsne_early_iter: Count = 200  # t-SNE iterations with early exaggeration (openTSNE: 250)
    tsne_iter: Count = 200  # t-SNE iterations after them (openTSNE: 500, scikit-learn: 1000 in all)
    n_neighbors: Annotated[int, Field(ge=2)] = 15  # UMAP
    min_dist: NonNegative = 0.1  # UMAP
    k: Annotated[int, Field(ge=1)] = 5  # neighbours for trustworthiness and 2-D kNN accuracy
    seed: int = 0

    @field_validator("methods")
    @classmethod
    def _unique_and_present(cls, methods: list[str]) -> list[str]:
        if not methods or len(set(methods)) != len(methods):
            raise PydanticCustomError(
                "methods", "must list each of pca, tsne, umap at most once, and at least one"
            )
        return methods


class TrackingConfig(Section):
    experiment: str = "latentlab-{dataset}"  # one MLflow experiment per dataset
    log_model: bool = True  # log the model with a signature (MLflow model format)


VARIANT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")  # used in paths and DVC stage names


class Params(Section):
    data: DataConfig = Field(default_factory=DataConfig)
    split: SplitConfig = Field(default_factory=SplitConfig)
    train: TrainConfig = Field(default_factory=TrainConfig)
    variants: dict[str, TrainConfig]
    embed: EmbedConfig = Field(default_factory=EmbedConfig)
    tracking: TrackingConfig = Field(default_factory=TrackingConfig)
    datasets: dict[str, Any] = {}  # per-dataset overrides, already merged in (see parse_params)

    @field_validator("variants", mode="before")
    @classmethod
    def _named_well(cls, variants: Any) -> Any:
        if isinstance(variants, dict):
            if not variants:
                raise PydanticCustomError("variants", "must name at least one variant")
            for name in variants:
                if not VARIANT_NAME.match(str(name)):
                    raise PydanticCustomError(
                        "variant_name",
                        f"'{name}' is not a valid variant name; use letters, digits, '_' and '-', "
                        "starting with a letter",
                    )
        return variants

    def variant(self, name: str) -> TrainConfig:
        if name not in self.variants:
            raise LatentlabError(
                f"{PARAMS_FILE}: there is no variant '{name}'; variants are: {', '.join(self.variants)}."
            )
        return self.variants[name]


# --- loading ------------------------------------------------------------------------------


def optimizer_class(name: str) -> type:
    """torch.optim.<name>, if it is an optimizer this loop can drive (no closure needed)."""
    import torch

    cls = getattr(torch.optim, name, None)
    usable = sorted(
        n
        for n, c in vars(torch.optim).items()
        if isinstance(c, type) and issubclass(c, torch.optim.Optimizer) and n not in ("Optimizer", "LBFGS")
    )
    if name not in usable or cls is None:
        raise PydanticCustomError(
            "optimizer", f"must be a torch.optim optimizer, one of: {', '.join(usable)}"
        )
    return cls


def deep_merge(base: dict, overrides: dict) -> dict:
    """`overrides` onto a copy of `base`: mappings merge key by key, anything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


DATASET_SECTIONS = ("split", "train", "variants", "embed", "tracking")  # what `datasets.<name>` may set


def parse_params(raw: Any, source: str = PARAMS_FILE) -> Params:
    """Validate a loaded params mapping.

    1. `datasets.<data.dataset>` (per-dataset defaults) is deep-merged over the whole mapping;
    2. every variant's overrides are deep-merged onto `train`;
    3. the result is validated; the first error names the key where the bad value was written.
    """
    if not isinstance(raw, dict):
        raise LatentlabError(f"{source} must be a mapping of sections, got {type(raw).__name__}.")
    data = raw.get("data")
    dataset = data.get("dataset", "digits") if isinstance(data, dict) else "digits"
    for_dataset = _dataset_overrides(raw, dataset, source)
    merged = deep_merge({k: v for k, v in raw.items() if k != "datasets"}, for_dataset)
    merged["datasets"] = raw.get("datasets") or {}
    variants = merged.get("variants")
    if isinstance(variants, dict):
        merged["variants"] = {name: _merged_variant(merged.get("train") or {}, name, over, source)
                              for name, over in variants.items()}
    try:
        return Params.model_validate(merged)
    except ValidationError as err:
        layers = [(for_dataset, ["datasets", dataset]), (raw, [])]
        raise LatentlabError(_first_error(err, source, layers)) from None


def _dataset_overrides(raw: dict, dataset: str, source: str) -> dict:
    """The `datasets.<dataset>` mapping, after checking the shape of the whole `datasets` section."""
    datasets = raw.get("datasets") or {}
    if not isinstance(datasets, dict):
        raise LatentlabError(f"{source}: datasets must map dataset names to overrides, got {datasets!r}.")
    known = DataConfig.model_fields["dataset"].annotation.__args__
    for name, overrides in datasets.items():
        where = f"{source}: datasets.{name}"
        if name not in known:
            raise LatentlabError(f"{where} is not a dataset; datasets are: {', '.join(known)}.")
        if not isinstance(overrides or {}, dict):
            raise LatentlabError(f"{where} must be a mapping of sections to override, got {overrides!r}.")
        overrides = overrides or {}
        for section in overrides:
            if section not in DATASET_SECTIONS:
                raise LatentlabError(f"{where}.{section} cannot be set per dataset; allowed: "
                                     f"{', '.join(DATASET_SECTIONS)}.")
        adjusted = overrides.get("variants") or {}
        for variant in adjusted if isinstance(adjusted, dict) else ():
            if variant not in (raw.get("variants") or {}):
                raise LatentlabError(f"{where}.variants.{variant} is not a variant of `variants`; "
                                     "per-dataset overrides adjust variants, not add them.")
    return datasets.get(dataset) or {}


def _merged_variant(train: Any, name: str, overrides: Any, source: str) -> Any:
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise LatentlabError(
            f"{source}: variants.{name} must be a mapping of train keys to override, got {overrides!r}."
        )
    return deep_merge(train, overrides) if isinstance(train, dict) else overrides


def load_params(path: str | Path = PARAMS_FILE) -> Params:
    path = Path(path)
    if not path.is_file():
        raise LatentlabError(f"{path} does not exist; run from the repository root.")
    try:
        raw = yaml.safe_load(path.read_text())
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 1}" if where else ""
        raise LatentlabError(f"{path} is not valid YAML{line}: {getattr(err, 'problem', err)}.") from None
    return parse_params(raw, source=path.name)


def _first_error(err: ValidationError, source: str, layers: list[tuple[dict, list[str]]]) -> str:
    """One sentence for the first validation error: key path, what is allowed, the value."""
    first = err.errors()[0]
    loc = [str(part) for part in first["loc"]]
    message = re.sub(r"^(Value error|Assertion failed), ", "", first["msg"])
    message = message.replace("Input should be", "must be").replace("String should", "must")
    if first["type"] == "unknown_key":
        loc.append(first["ctx"]["key"])
    path = ".".join(_written_at(loc, layers)) or "top level"
    if first["type"] == "missing":
        return f"{source}: {path} is required."
    if first["type"] == "unknown_key":
        return f"{source}: {path} {message}."
    if isinstance(first["input"], dict):
        return f"{source}: {path}: {message}."
    return f"{source}: {path} {message}, got {first['input']!r}."


def _written_at(loc: list[str], layers: list[tuple[dict, list[str]]]) -> list[str]:
    """Where in the file the value at `loc` (of the merged params) was written.

    A variant's key may come from its own overrides or from `train`, each possibly from the
    per-dataset overrides; the most specific place that sets it wins, as in the merge.
    """
    candidates = [loc]
    if len(loc) > 2 and loc[0] == "variants":
        candidates.append(["train", *loc[2:]])
    for candidate in candidates:
        for tree, prefix in layers:
            if _has_path(tree, candidate):
                return prefix + candidate
    return loc


def _has_path(tree: Any, path: list[str]) -> bool:
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return False
        tree = tree[key]
    return True
