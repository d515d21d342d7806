# make run   set up .venv (once), run the whole pipeline with DVC, print the comparison table
# make test  set up .venv (once), run the test suite
# make run-fashion  the same on Fashion-MNIST (apt-get install -y dataset-fashion-mnist), as a DVC experiment
# make ui    open the MLflow UI on http://127.0.0.1:5000 over mlflow.db
# make bench the speed benchmarks of bench/ (ratios against baselines measured in the same run)

VENV    ?= .venv
PYTHON  := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
# DVC runs each stage's `python stages/...` through the shell: put the venv first on PATH.
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: setup run run-fashion test ui lint bench

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

run-fashion: setup
	dvc exp run -S data.dataset=fashion_mnist
	@echo
	@cat reports/summary.md

test: setup
	pytest

ui: setup
	mlflow ui --backend-store-uri sqlite:///$(CURDIR)/mlflow.db --host 127.0.0.1 --port 5000

lint: setup
	ruff check src stages tests bench

bench: setup
	python bench/train_throughput.py
	python bench/embed_speed.py
