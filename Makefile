# ironmile: `make run` (the main job) and `make test` (everything CI checks) work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
UV_VERSION := 0.13.9
RUN := $(UV) run --frozen

.PHONY: setup run test lint typecheck layers pytest bench fmt docs clean

setup:  ## install uv (pinned) and the locked dependencies into .venv
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)" \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --quiet

run: setup  ## print the plan of the bundled example marathon runner
	@$(RUN) ironmile plan --profile examples/marathoner.toml

lint: setup
	$(RUN) ruff check src tests
	$(RUN) ruff format --check src tests

typecheck: setup
	$(RUN) mypy

layers: setup
	$(RUN) lint-imports

pytest: setup
	$(RUN) pytest --cov --cov-report=term

test: lint typecheck layers pytest  ## everything CI checks

bench: setup  ## speed benchmarks, reported as ratios to a baseline measured in the same run
	$(RUN) python -m tests.benchmarks

fmt: setup
	$(RUN) ruff format src tests
	$(RUN) ruff check --fix src tests

docs: setup  ## regenerate the CLI reference (docs/cli.md) from the commands' help
	$(RUN) typer ironmile.cli utils docs --name ironmile --output docs/cli.md

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache .coverage
