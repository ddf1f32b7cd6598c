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

.PHONY: install run test lint bench frontend clean system-deps coverage mutation

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) frontend

system-deps:
	@bash scripts/system-deps.sh

frontend:
	@if command -v npm >/dev/null; then \
	  for dir in capture-widget admin-ui; do \
	    if [ -f $$dir/package.json ]; then (cd $$dir && npm ci --no-audit --no-fund && npm run build) || exit 1; fi; \
	  done; \
	fi

run: install
	$(VENV)/bin/probant migrate
	$(VENV)/bin/probant demo
	@echo "Probant on http://127.0.0.1:8000 (GraphiQL at /graphql); demo accounts above ('probant demo --json')."
	@echo "Demo company intranet embedding the capture widget: http://127.0.0.1:8001/"
	$(VENV)/bin/probant serve --host 127.0.0.1 --port 8000 --demo-intranet-port 8001 --with-worker

test: system-deps install
	$(VENV)/bin/python -m pytest --benchmark-skip

# Line and branch coverage of the suite (or of TESTS="tests/ledger …"); data and the HTML report
# go to $(COVERAGE_DIR), never the checkout.
COVERAGE_DIR ?= $(or $(TMPDIR),/tmp)/probant-coverage
TESTS ?=
coverage: $(STAMP)
	rm -rf $(COVERAGE_DIR) && mkdir -p $(COVERAGE_DIR)
	PROBANT_COVERAGE_DIR=$(COVERAGE_DIR) $(VENV)/bin/coverage run -m pytest --benchmark-skip -q $(TESTS)
	PROBANT_COVERAGE_DIR=$(COVERAGE_DIR) $(VENV)/bin/coverage combine -q
	PROBANT_COVERAGE_DIR=$(COVERAGE_DIR) $(VENV)/bin/coverage html -q
	PROBANT_COVERAGE_DIR=$(COVERAGE_DIR) $(VENV)/bin/coverage report
	@echo "HTML report: $(COVERAGE_DIR)/html/index.html"

# Mutation testing (not part of `make test`): scope and tests in pyproject's [tool.mutmut],
# run in a staged copy under $TMPDIR. Score and survivors: docs/testing.md.
mutation: $(STAMP)
	bash scripts/mutation.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(VENV)/bin/python -m pytest tests/benchmarks --benchmark-only -q || [ $$? -eq 5 ]
	$(VENV)/bin/python tests/benchmarks/ingest.py
	$(VENV)/bin/python tests/benchmarks/ledger_spends.py
	$(VENV)/bin/python tests/benchmarks/nearest_offices.py

clean:
	rm -rf $(VENV) build dist *.egg-info
