# Two commands: `make run` and `make test`. Everything else they need, they set up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= test,pulumi

.PHONY: run test lint typecheck postgres clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	touch $(STAMP)

run: | $(BIN)/python
	$(BIN)/pip install -q -e .
	mkdir -p .userpools
	$(BIN)/userpools serve --host 127.0.0.1 --port 9229 --database-url sqlite:///.userpools/userpools.db

# The storage suite runs on a real PostgreSQL that the tests start themselves; install it if missing.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)

JS_DEPS := tests/js/node_modules/.installed

# The JavaScript SDK tests' packages, installed again only when tests/js/package.json changes.
$(JS_DEPS): tests/js/package.json
	npm install --prefix tests/js --no-audit --no-fund
	touch $(JS_DEPS)

test: $(STAMP) postgres $(JS_DEPS)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .userpools
