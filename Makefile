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

.PHONY: install run test lint bench bench-profile bench-peers frontend clean system-deps image scale-test coverage mutation app-screenshots

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) frontend

system-deps:
	@bash scripts/system-deps.sh

# Each folder with a package.json is a frontend, rebuilt only when it changed: `npm ci` when
# its lock file moved, the build when its sources did (stamps inside the ignored folders).
FRONTENDS := $(patsubst %/package.json,%,$(wildcard */package.json))
FRONTEND_SOURCES = $(shell find $(1) -path $(1)/node_modules -prune -o -path $(1)/dist -prune -o -type f -print)

frontend: $(if $(shell command -v npm),$(FRONTENDS:%=%/dist/.built))

.SECONDEXPANSION:
.PRECIOUS: %/node_modules/.ci-done %/dist/.built
%/node_modules/.ci-done: %/package-lock.json %/package.json
	cd $* && npm ci --no-audit --no-fund
	touch $@

%/dist/.built: %/node_modules/.ci-done $$(call FRONTEND_SOURCES,$$*)
	cd $* && npm run build
	touch $@

# The app's typed operations are generated from the API schema: a schema change rebuilds it.
admin-ui/dist/.built: $(wildcard graphql/probant_graphql/schema.graphql)

run: install
	$(VENV)/bin/probant migrate
	$(VENV)/bin/probant demo
	@echo "Probant on http://127.0.0.1:8000/app/ (GraphiQL at /graphql); demo accounts above ('probant demo --json')."
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

lint: $(STAMP) frontend
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	for ui in admin-ui capture-widget; do (cd $$ui && npm run --silent typecheck && npm run --silent lint) || exit 1; done

bench-profile: $(STAMP)
	$(VENV)/bin/python tests/benchmarks/api_requests.py --profile

bench: $(STAMP)
	$(VENV)/bin/python -m pytest tests/benchmarks --benchmark-only -q || [ $$? -eq 5 ]
	$(VENV)/bin/python tests/benchmarks/api_requests.py
	$(VENV)/bin/python tests/benchmarks/ingest.py
	$(VENV)/bin/python tests/benchmarks/ledger_spends.py
	$(VENV)/bin/python tests/benchmarks/nearest_offices.py
	$(VENV)/bin/python tests/benchmarks/long_term.py

# The dashboard page served side by side by PostGraphile 5 (npm, installed into
# $TMPDIR/probant-peers), the hand-written floor and Probant (minutes; not part of `make bench`).
bench-peers: $(STAMP)
	$(VENV)/bin/python tests/benchmarks/peers.py

# The container image (docs/operations.md): docker or podman, whichever is installed.
IMAGE ?= probant:dev
CONTAINER_ENGINE ?= $(shell command -v docker 2>/dev/null || command -v podman 2>/dev/null)
image:
	@if [ -z "$(CONTAINER_ENGINE)" ] || ! $(CONTAINER_ENGINE) info >/dev/null 2>&1; then \
	  echo "no running container engine (docker or podman) here; where there is one, run:" >&2; \
	  echo "  docker build -t $(IMAGE) .   # or: podman build -t $(IMAGE) ." >&2; exit 1; \
	fi
	$(CONTAINER_ENGINE) build -t $(IMAGE) .
	$(CONTAINER_ENGINE) image ls $(IMAGE)

# Two APIs and two workers on one PostgreSQL and a moto S3 server, one worker killed mid-run
# (minutes; not part of `make test`). PROBANT_SCALE_DEPOSITS=N changes the load (default 200).
scale-test: $(STAMP)
	PROBANT_SCALE_TEST=1 $(VENV)/bin/python -m pytest -q tests/ops/test_scale_out.py --timeout 1500

# The web app's journey photographs every page in French and English (docs/app.md shows them).
app-screenshots: install
	$(VENV)/bin/python -m pytest -q tests/e2e/test_app_journey.py tests/e2e/test_app_admin.py tests/e2e/test_operator_console.py
	mkdir -p docs/app-screenshots
	cp "$$($(PY) -c 'import tempfile; print(tempfile.gettempdir())')"/probant-app-screenshots/*.png docs/app-screenshots/

clean:
	rm -rf $(VENV) build dist *.egg-info
