# Everything a fresh clone needs: `make run` to study, `make test` to check.
# Installs come from uv.lock (exact versions and hashes); uv itself is pinned below and
# bootstrapped with pip into .tools/, outside the environment that `uv sync` manages.
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV   := .venv
BIN    := $(VENV)/bin
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
STAMP  := $(VENV)/.installed
LATEST := .venv-latest
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install test test-latest test-slow run lint lock bench bench-scale bench-demos simulate clean

install: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet 'uv==$(UV_VERSION)'

# --locked fails if pyproject.toml and uv.lock disagree (run `make lock`).
# --compile-bytecode: the .pyc files are written once here, not recompiled by every `prep` (some
# environments set PYTHONDONTWRITEBYTECODE, and then nothing is ever cached).
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --quiet --locked --all-extras --compile-bytecode --python $(PYTHON)
	touch $(STAMP)

# The suite runs on every core (pytest-xdist), then the timing-sensitive process tests alone.
test: install
	$(BIN)/ruff check interviewprep tests benchmarks
	$(BIN)/python -m pytest -n auto -m "not serial"
	$(BIN)/python -m pytest -m serial

# The newest releases that pyproject.toml's ranges allow, in a throw-away venv: run it before `make lock`
# and now and then, so an upstream change shows up here rather than as a red CI on unrelated work.
test-latest: | $(UV)
	rm -rf $(LATEST)
	$(UV) venv --quiet --python $(PYTHON) $(LATEST)
	$(UV) pip install --quiet --python $(LATEST)/bin/python --upgrade --no-cache -e '.[plot,anki,optimize]' --group dev
	$(LATEST)/bin/python -m pytest -p no:cacheprovider
	rm -rf $(LATEST)

# Refresh uv.lock to the newest versions the ranges allow (then `make test`, and commit uv.lock).
lock: | $(UV)
	$(UV) lock --upgrade

test-slow: install
	PREP_SIGKILL_TRIALS=50 $(BIN)/python -m pytest tests/store/test_crash_safety.py

run: install
	$(BIN)/prep quiz

bench: install
	$(BIN)/python benchmarks/bench_cli.py --out benchmarks/RESULTS.md

# Issue 22's 100,000-card rows (list, export markdown, check, doctor); takes a few minutes on an idle machine.
bench-scale: install
	$(BIN)/python benchmarks/bench_scale.py --out benchmarks/RESULTS-scale.md

# Issue 23's budget: every demo at every edge of its declared range in < 1 s and < 200 MB (fails when over).
bench-demos: install
	$(BIN)/python benchmarks/bench_demo_edges.py --out benchmarks/RESULTS-demos.md

simulate: install
	$(BIN)/python benchmarks/simulate.py --out benchmarks/RESULTS-sim.md

lint: install
	$(BIN)/ruff check interviewprep tests benchmarks

clean:
	rm -rf $(VENV) $(LATEST) $(TOOLS) .pytest_cache .hypothesis build dist *.egg-info
