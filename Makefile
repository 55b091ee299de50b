# Everything a fresh clone needs: `make run` to study, `make test` to check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test test-slow run lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,plot,anki,optimize]'
	touch $(STAMP)

test: install
	$(BIN)/ruff check interviewprep tests
	$(BIN)/python -m pytest

test-slow: install
	PREP_SIGKILL_TRIALS=50 $(BIN)/python -m pytest tests/test_crash_safety.py

run: install
	$(BIN)/prep quiz

bench: install
	$(BIN)/python benchmarks/bench_cli.py --out benchmarks/RESULTS.md

lint: install
	$(BIN)/ruff check interviewprep tests

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info
