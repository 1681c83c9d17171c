# Two commands for a fresh machine with Python 3.11+:
#   make run    set up, load the demo program, serve it on http://127.0.0.1:8000
#   make test   set up (packages, Chromium) and run the whole test suite
# Set DATABASE_URL / REDIS_URL to run either on PostgreSQL and Redis.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers (pytest-xdist): the suite runs in about half the time on this project's 2-core machines.
PYTEST_ARGS ?= -n 2

.PHONY: run test setup browser lint migrate clean screenshots bench bench-planning

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

browser:
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-axe.sh
	bash scripts/ensure-pdf.sh

migrate: setup
	$(PY) manage.py migrate --noinput

# HOST and PORT reach the settings too, so that printed and mailed links carry them (SITE_URL overrides).
run: migrate
	bash scripts/ensure-pdf.sh
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py load_demo
	@echo "Open http://$(HOST):$(PORT)/ (organiser pages and admin: see the login above)."
	HOST=$(HOST) PORT=$(PORT) DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: setup browser
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# The benchmark (docs/benchmarks.md): needs PostgreSQL and Redis; BENCH_ARGS for options.
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)

# The schedule proposer at demo scale and ×10 against a first-fit baseline (docs/benchmarks.md).
bench-planning: setup
	$(PY) -m bench.planning

screenshots: setup browser
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest tests/browser -q

# Lint: ruff's rules and format, and the import layers of pyproject.toml (import-linter).
lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
