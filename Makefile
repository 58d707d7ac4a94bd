# govqms: `make demo` serves the demo province, `make test` runs every check.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
DEMO_ENV := DEBUG=1

.PHONY: setup demo test lint format bench clean

setup: $(VENV)/.installed static/vendor/.installed
	GOVQMS_ALLOW_INSECURE_KEY=1 $(BIN)/govqms compiletranslations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

static/vendor/.installed: package.json package-lock.json scripts/copy-assets.sh
	npm ci --no-audit --no-fund --loglevel=error
	scripts/copy-assets.sh
	touch $@

demo: setup
	$(DEMO_ENV) $(BIN)/govqms migrate --noinput
	$(DEMO_ENV) $(BIN)/govqms load_demo
	$(DEMO_ENV) $(BIN)/govqms runserver 127.0.0.1:8000

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: setup
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# The suite on SQLite; again on PostgreSQL when GOVQMS_TEST_POSTGRES_URL is set.
test: lint
	$(BIN)/pytest -p no:cacheprovider -q
	@if [ -n "$$GOVQMS_TEST_POSTGRES_URL" ]; then \
		echo "== the suite again on PostgreSQL =="; \
		DATABASE_URL="$$GOVQMS_TEST_POSTGRES_URL" $(BIN)/pytest -p no:cacheprovider -q; \
	fi

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules static var test-artifacts
