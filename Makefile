# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install worker lint format schema migrations clean

$(VENV)/.installed: requirements/base.txt requirements/prod.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --upgrade >/dev/null
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

## Serve on http://$(HOST) with SQLite, local files and console email; the demo data is seeded and the
## job worker (django-q2, ORM broker) runs beside the web server and stops with it.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py setup_schedules
	$(PY) manage.py qcluster & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

## The job worker alone (when the web server runs elsewhere).
worker: install
	$(PY) manage.py qcluster

## The whole suite with the coverage gate (DATABASE_URL picks PostgreSQL; SQLite otherwise).
test: install
	$(VENV)/bin/pytest --cov --cov-report=term $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Regenerate the committed OpenAPI snapshot after a deliberate API change.
schema: install
	$(PY) manage.py spectacular --validate --fail-on-warn --lang en --file openapi.yaml

migrations: install
	$(PY) manage.py makemigrations

clean:
	rm -rf $(VENV) .coverage htmlcov db.sqlite3 test.sqlite3 .test-media
