# Probant — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# Use the machine's PostgreSQL for tests when one answers on 127.0.0.1:5432; else the embedded one.
LOCAL_PG := $(shell (command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 && echo postgresql://postgres@127.0.0.1:5432/postgres) 2>/dev/null)
PROBANT_TEST_DATABASE_URL ?= $(LOCAL_PG)
export PROBANT_TEST_DATABASE_URL

.PHONY: install run test lint bench frontend clean system-deps app-screenshots

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) frontend

system-deps:
	@bash scripts/system-deps.sh

# Each front end is rebuilt only when its sources, lockfile (or, for the app, the API schema) change.
WIDGET_SOURCES := $(shell find capture-widget/src capture-widget/scripts -type f 2>/dev/null) \
	capture-widget/package.json capture-widget/vite.config.ts capture-widget/tsconfig.json
APP_SOURCES := $(shell find admin-ui/src -type f 2>/dev/null) admin-ui/package.json \
	admin-ui/index.html admin-ui/vite.config.ts admin-ui/codegen.ts admin-ui/tsconfig.json \
	graphql/probant_graphql/schema.graphql
HAVE_NPM := $(shell command -v npm 2>/dev/null)

frontend: capture-widget/dist/manifest.json admin-ui/dist/index.html

%/node_modules/.package-lock.json: %/package-lock.json
	@if [ -n "$(HAVE_NPM)" ]; then cd $* && npm ci --no-audit --no-fund; fi

capture-widget/dist/manifest.json: capture-widget/node_modules/.package-lock.json $(WIDGET_SOURCES)
	@if [ -n "$(HAVE_NPM)" ]; then cd capture-widget && npm run build; \
	else echo "npm not found: the capture widget is not built"; fi

admin-ui/dist/index.html: admin-ui/node_modules/.package-lock.json $(APP_SOURCES)
	@if [ -n "$(HAVE_NPM)" ]; then cd admin-ui && npm run build; \
	else echo "npm not found: the web app is not built"; fi

run: install
	$(VENV)/bin/probant migrate
	$(VENV)/bin/probant demo
	@echo "Probant on http://127.0.0.1:8000/app/ (GraphiQL at /graphql); demo accounts above ('probant demo --json')."
	@echo "Demo company intranet embedding the capture widget: http://127.0.0.1:8001/"
	$(VENV)/bin/probant serve --host 127.0.0.1 --port 8000 --demo-intranet-port 8001 --with-worker

test: system-deps install
	$(VENV)/bin/python -m pytest --benchmark-skip

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(VENV)/bin/python -m pytest tests/benchmarks --benchmark-only -q || [ $$? -eq 5 ]
	$(VENV)/bin/python tests/benchmarks/ingest.py
	$(VENV)/bin/python tests/benchmarks/ledger_spends.py
	$(VENV)/bin/python tests/benchmarks/nearest_offices.py

# The web app's journey photographs every page in French and English (docs/app.md shows them).
app-screenshots: install
	$(VENV)/bin/python -m pytest -q tests/e2e/test_app_journey.py
	mkdir -p docs/app-screenshots
	cp "$$($(PY) -c 'import tempfile; print(tempfile.gettempdir())')"/probant-app-screenshots/*.png docs/app-screenshots/

clean:
	rm -rf $(VENV) build dist *.egg-info
