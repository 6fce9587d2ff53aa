# Two commands a new user needs: `make run` and `make test`. Each builds .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= 20

.PHONY: run test lint bench venv clean validate-model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,events,clv]"
	touch $@

venv: $(VENV)/.installed

## run: the bundled strategy comparison (omnichannel vs multichannel vs weak digital)
run: $(VENV)/.installed
	$(BIN)/python run.py compare scenarios/omnichannel.yaml scenarios/multichannel.yaml \
		scenarios/weak_digital.yaml --seeds $(SEEDS)

## test: the whole suite; pytest exits non-zero on failure and on "no tests ran"
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

## validate-model: the model against closed forms (Bass, cascade final size, Erlang C), both engines
validate-model: $(VENV)/.installed
	$(BIN)/python run.py validate-model

## bench: engine speed and memory (benchmarks/, not part of make test; BENCH_ARGS=--quick)
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/engines.py $(BENCH_ARGS)

## lint: ruff over the code (style is checked, not enforced by make test)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
