# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
# Both create the project's own virtual environment in .venv and install pinned versions (constraints.txt).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
DEMO_WORKSPACE ?= demo-workspace

.PHONY: demo test lint typecheck unit bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	touch $@ $(VENV)/.installed-run

demo: $(VENV)/.installed-run
	$(BIN)/puente demo --workspace $(DEMO_WORKSPACE)

test: lint typecheck unit

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(PIP) install --quiet -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python bench/run_all.py

# Re-pin every dependency to what is installed now (run after changing pyproject.toml).
lock: $(VENV)/.installed-dev
	$(PIP) freeze --exclude-editable | grep -v '^puente' > constraints.txt

clean:
	rm -rf $(VENV) $(DEMO_WORKSPACE) .pytest_cache .mypy_cache .ruff_cache
