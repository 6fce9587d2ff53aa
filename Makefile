# Two commands a new user needs: `make run` and `make test`. Each builds .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS ?= 20
PORT ?= 8765
SCENARIO ?=
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint bench venv clean dashboard chromium validate-model golden defaults fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,dashboard,events,clv]"
	touch $@

$(VENV)/.installed-dashboard: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dashboard]"
	touch $@

venv: $(VENV)/.installed

## run: the bundled strategy comparison, each strategy against weak digital (the status quo)
run: $(VENV)/.installed
	$(BIN)/python run.py compare scenarios/omnichannel.yaml scenarios/multichannel.yaml \
		scenarios/weak_digital.yaml --seeds $(SEEDS) --baseline weak_digital

## test: the whole suite, a file per process on TEST_WORKERS processes (module fixtures stay in
## one process); pytest exits non-zero on failure and on "no tests ran"
TEST_WORKERS ?= 2
test: $(VENV)/.installed-test chromium
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

## fuzz: the property-based tests (tests/test_properties.py) for FUZZ_MINUTES; prints the cases
FUZZ_MINUTES ?= 10
fuzz: $(VENV)/.installed-test
	$(BIN)/python tests/fuzz.py --minutes $(FUZZ_MINUTES)

## dashboard: the live teaching page on http://127.0.0.1:$(PORT)/ (SCENARIO=file to start from)
dashboard: $(VENV)/.installed-dashboard
	$(BIN)/python run.py dashboard $(SCENARIO) --port $(PORT)

## chromium: Debian's browser for the dashboard's browser test, installed only if missing
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation; \
		else \
			echo "note: $(CHROMIUM) is missing; as root: apt-get install chromium" \
				"(the browser test is skipped without it, and fails where CI is set)"; \
		fi; \
	fi

## validate-model: the model against closed forms (Bass, cascade final size, Erlang C), both engines
validate-model: $(VENV)/.installed
	$(BIN)/python run.py validate-model

## bench: engine speed and memory (benchmarks/, not part of make test; BENCH_ARGS=--quick)
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/engines.py $(BENCH_ARGS)

## defaults: rewrite scenarios/base.yaml and docs/parameters.md from the schema (the one source)
defaults: $(VENV)/.installed
	$(BIN)/python -m sim.scenario.defaults

## golden: rewrite the golden baseline (tests/golden/stored) after a deliberate change of behaviour
golden: $(VENV)/.installed
	$(BIN)/python tests/golden/update.py

## lint: ruff over the code (style is checked, not enforced by make test)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
