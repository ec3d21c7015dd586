# ironmile: `make run` (the main job) and `make test` (everything CI checks) work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
UV_VERSION := 0.13.9
RUN := $(UV) run --frozen

.PHONY: setup run test lint typecheck layers pytest postgres tools browser loadgen bench fmt docs clean

setup:  ## install uv (pinned) and the locked dependencies into .venv
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)" \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --quiet

run: setup  ## start the web app on http://127.0.0.1:8000 (SQLite in the user data folder; Ctrl+C stops it)
	@$(RUN) ironmile serve --host 127.0.0.1 --port 8000

lint: setup
	$(RUN) ruff check src tests
	$(RUN) ruff format --check src tests

typecheck: setup
	$(RUN) mypy

layers: setup
	$(RUN) lint-imports

# Two workers (pytest-xdist): every test has its own database, files and server, so they run apart.
PYTEST_WORKERS ?= 2

pytest: setup postgres tools browser
	$(RUN) pytest -n $(PYTEST_WORKERS) --cov --cov-report=term

tools:  ## system programs the tests use: pdftoppm (poppler-utils) renders PDF pages to images
	@command -v pdftoppm >/dev/null || { \
		echo "tools: installing poppler-utils with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null; }

# Debian's Chromium for the browser tests, which Playwright drives through executable_path; Playwright's
# own browser download (`playwright install`) is never used.
CHROMIUM ?= /usr/bin/chromium
export IRONMILE_CHROMIUM := $(CHROMIUM)

browser:  ## install Debian's chromium with apt-get when missing
	@test -x $(CHROMIUM) || { \
		echo "browser: installing chromium with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

# PostgreSQL for the storage tests, which create and drop one database per test through this admin
# URL. To use a server of your own, set IRONMILE_TEST_POSTGRES_URL (environment or make argument):
# `make postgres` then leaves the machine alone. Without a server the PostgreSQL tests fail.
PG_ROLE := ironmile
IRONMILE_TEST_POSTGRES_URL ?= postgresql+psycopg://$(PG_ROLE):$(PG_ROLE)@127.0.0.1:5432/postgres
export IRONMILE_TEST_POSTGRES_URL  # exported rather than echoed, so a password of yours stays out of logs

postgres:  ## install (apt-get, if missing), start and prepare the local PostgreSQL server the tests use
ifeq ($(origin IRONMILE_TEST_POSTGRES_URL),file)
	@set -euo pipefail; \
	ready() { pg_isready -q -h 127.0.0.1 -p 5432; }; \
	if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null; then \
		echo "postgres: installing PostgreSQL with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; \
	fi; \
	if ! ready; then \
		cluster=$$(pg_lsclusters --no-header | awk '$$3 == 5432 { print $$1, $$2; exit }'); \
		if [ -z "$$cluster" ]; then \
			version=$$(ls /usr/lib/postgresql | sort -V | tail -n 1); \
			pg_createcluster --port 5432 "$$version" test >/dev/null; \
			cluster="$$version test"; \
		fi; \
		echo "postgres: starting cluster $$cluster"; \
		pg_ctlcluster $$cluster start; \
		for _ in $$(seq 60); do ready && break; sleep 0.25; done; \
		ready || { echo "postgres: the server did not start; see /var/log/postgresql/" >&2; exit 1; }; \
	fi; \
	if ! PGPASSWORD=$(PG_ROLE) psql -qAt -h 127.0.0.1 -p 5432 -U $(PG_ROLE) -d postgres -c 'SELECT 1' >/dev/null 2>&1; then \
		echo "postgres: creating the role $(PG_ROLE)"; \
		printf '%s\n' \
			"SELECT 'CREATE ROLE $(PG_ROLE)' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$(PG_ROLE)') \gexec" \
			"ALTER ROLE $(PG_ROLE) WITH LOGIN CREATEDB PASSWORD '$(PG_ROLE)';" \
			| (cd / && runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p 5432 -d postgres); \
	fi
else
	@echo "postgres: using IRONMILE_TEST_POSTGRES_URL from the $(origin IRONMILE_TEST_POSTGRES_URL)"
endif

test: lint typecheck layers pytest  ## everything CI checks

loadgen:  ## the web benchmark's load generator: hey (Debian package), installed with apt-get when missing
	@command -v hey >/dev/null || { \
		echo "loadgen: installing hey with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends hey >/dev/null; }

bench: setup loadgen  ## speed benchmarks, reported as ratios to a baseline measured in the same run
	$(RUN) python -m tests.benchmarks

fmt: setup
	$(RUN) ruff format src tests
	$(RUN) ruff check --fix src tests

docs: setup  ## regenerate the CLI reference (docs/cli.md) from the commands' help
	$(RUN) typer ironmile.cli utils docs --name ironmile --output docs/cli.md

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache .coverage
