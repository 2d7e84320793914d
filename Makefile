# APA Tracker — the two commands: `make run` and `make test`; `make serve` and `make worker` run it as in
# production (docs/deployment.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k scoring"`; the suite runs on every core (xdist).
PYTEST_ARGS ?=
PYTEST_WORKERS ?= auto

.PHONY: setup system-deps run dev test lint check-migrations clean serve worker bench-deps stateful lock

# Every package comes from a lock (requirements/*.lock, made by `make lock` from pyproject.toml): exact
# versions with their SHA-256, so every machine installs the same files and pip refuses any other. The
# virtualenv is made afresh whenever the lock changes (nothing left over from an older lock), with the pip
# of the Python that creates it: no unpinned upgrade from the network.
LOCK := requirements/test.lock
$(VENV)/.locked: $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	touch $@

# Then the project itself, editable (the code is run from this folder), with the setuptools of the lock;
# `pip check` stops here if pyproject.toml asks for a version the lock does not have (run `make lock`).
$(BIN)/.installed: $(VENV)/.locked pyproject.toml
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $@

system-deps:
	bash scripts/system-deps.sh

setup: system-deps $(BIN)/.installed node_modules/.installed

# The test tooling of package.json (pdf.js for tests/reports/test_viewers.py), exactly as package-lock.json
# has it (npm ci checks every file's integrity hash).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --omit=optional --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: install it (scripts/system-deps.sh) for the pdf.js tests"; fi

# The mails' links point at the address served (APA_SITE_URL, unless set already).
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	APA_SITE_URL=$${APA_SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# As `make run`, with Django's debug pages on purpose (DJANGO_DEBUG=1): never for users.
dev: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	DJANGO_DEBUG=1 APA_SITE_URL=$${APA_SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The long run of the approved-record state machine (tests/integrity/test_approved_record.py): random
# sequences of every action of every role, the invariants checked after each step; prints the steps taken.
STATEFUL_EXAMPLES ?= 600
stateful: setup
	APA_STATEFUL_EXAMPLES=$(STATEFUL_EXAMPLES) APA_STATEFUL_STEPS=40 APA_STATEFUL_REPORT=1 \
		$(BIN)/python -m pytest -p no:cacheprovider -q -s tests/integrity/test_approved_record.py

# Production-like: gunicorn (gunicorn.conf.py) with DJANGO_DEBUG=0, static files collected for whitenoise.
# Needs the production environment of docs/deployment.md — at least DJANGO_SECRET_KEY and
# DJANGO_ALLOWED_HOSTS (the settings refuse to start without them), usually DATABASE_URL, APA_STORAGE=s3 and
# APA_REPORT_JOBS=worker. Listens on APA_BIND (default 127.0.0.1:8000).
serve: setup
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 exec $(BIN)/gunicorn --config gunicorn.conf.py

# The report worker: renders the jobs the app servers queue (APA_REPORT_JOBS=worker). Stop it with Ctrl+C or
# SIGTERM; the report in hand is finished first.
worker: setup
	DJANGO_DEBUG=0 exec $(BIN)/python manage.py report_worker

# The load test's tools (locust, for loadtest/locustfile.py), which the site and its tests do not need;
# their lock agrees with the test lock on every package the two share.
bench-deps: $(BIN)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements/bench.lock

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check-migrations: setup
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules var db.sqlite3 db.sqlite3-wal db.sqlite3-shm .pytest_cache .ruff_cache .hypothesis

# Makes requirements/*.lock again from pyproject.toml (and requirements/build.in) with uv, installed for the
# occasion into a throwaway virtualenv: `make setup` never needs it. One universal resolution for Python
# 3.11-3.13 on any platform (markers keep e.g. Windows-only packages off Linux), every file's hash of each
# version. Versions already in a lock are kept unless pyproject.toml asks otherwise, so after editing a pin
# only that package (and what it needs) moves; to move others: `make lock LOCK_ARGS="--upgrade-package
# botocore"`, or LOCK_ARGS=--upgrade for all. base = the site, test = the site + the tests (what `make setup`
# installs), bench = the site + locust; base and bench are held to the test lock's versions.
UV_VERSION := 0.13.10
LOCK_ARGS ?=
UV_COMPILE = "$$tool/bin/uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS) pyproject.toml requirements/build.in
lock:
	tool="$$(mktemp -d)" && trap 'rm -rf "$$tool"' EXIT && \
	$(PYTHON) -m venv "$$tool" && "$$tool/bin/pip" install --quiet uv==$(UV_VERSION) && \
	$(UV_COMPILE) --extra test -o requirements/test.lock && \
	$(UV_COMPILE) -c requirements/test.lock -o requirements/base.lock && \
	$(UV_COMPILE) --extra bench -c requirements/test.lock -o requirements/bench.lock
