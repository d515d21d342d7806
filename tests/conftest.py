"""Shared fixtures: the repository root and the digits split as the split stage makes it."""

from pathlib import Path

import pytest

from latentlab.config import SplitConfig
from latentlab.data import LabeledData, load_digits_source, stratified_split

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def digits() -> LabeledData:
    from latentlab.config import DataConfig

    return load_digits_source(DataConfig())


@pytest.fixture(scope="session")
def digits_split(digits) -> dict:
    return stratified_split(digits, SplitConfig(seed=0))
