# make run   set up .venv (once), run the whole pipeline with DVC, print the comparison table
# make test  set up .venv (once), run the test suite
# make ui    open the MLflow UI on http://127.0.0.1:5000 over mlflow.db

VENV    ?= .venv
PYTHON  := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
# DVC runs each stage's `python stages/...` through the shell: put the venv first on PATH.
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: setup run test ui lint

setup: $(STAMP)

# torch==2.13.0 first: the CPU build on this machine's disk. A bare `torch` requirement with
# no torch installed would pull a multi-GB CUDA build; with it installed, `torch>=2.4` is met.
$(STAMP): pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet torch==2.13.0
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: setup
	dvc repro
	@echo
	@cat reports/summary.md

test: setup
	pytest

ui: setup
	mlflow ui --backend-store-uri sqlite:///$(CURDIR)/mlflow.db --host 127.0.0.1 --port 5000

lint: setup
	ruff check src stages tests bench
