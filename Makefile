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

.PHONY: setup system-deps run test lint check-migrations clean serve worker bench-deps stateful

# The virtualenv is rebuilt whenever pyproject.toml (the pinned dependencies) changes.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

system-deps:
	bash scripts/system-deps.sh

setup: system-deps $(BIN)/.installed

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

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

# The load test's tools (locust, for loadtest/locustfile.py), which the site and its tests do not need.
bench-deps: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[bench]"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check-migrations: setup
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-wal db.sqlite3-shm .pytest_cache .ruff_cache .hypothesis
