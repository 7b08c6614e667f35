# Nastavnik. `make run` serves the demo; `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/nastavnik
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: install run serve test lint test-postgres test-browser bench bench-reports bench-load messages clean-db

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

install: $(VENV)/.installed

## Set up the embedded SQLite database with the demo, then serve on http://$(HOST):$(PORT)/
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy nastavnik tests bench
	PYTHONPATH=. $(VENV)/bin/lint-imports
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=nastavnik.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/i18n.py check

## Every check, then the test suite on embedded SQLite (browser tests: `make test-browser`)
test: lint
	$(PY) -m pytest -m "not browser" -n 2 -q

## The same suite against PostgreSQL from DATABASE_URL (default: $(PG_URL))
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest -m "not browser" -n 2 -q

## Browser tests in Debian's Chromium (/usr/bin/chromium) through Playwright
test-browser: install
	$(PY) -m pytest -m browser -q

bench: install
	$(PY) -m bench.matching

## The monitoring figures: a region's roll-up against a per-organization loop (docs/benchmarks.md)
bench-reports: install
	$(PY) -m bench.reports

## Two web servers and two workers on PostgreSQL under 200 simulated users, with the kill test
bench-load: install
	$(PY) -m bench.load.run

messages: install
	$(PY) scripts/i18n.py make
	$(PY) scripts/i18n.py compile

clean-db:
	rm -f var/nastavnik.sqlite3 var/nastavnik.sqlite3-wal var/nastavnik.sqlite3-shm
