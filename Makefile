# Two commands: `make run` and `make test`. Everything else they need, they set up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
EXTRAS ?= test,pulumi
# `make run` listens where USERPOOLS_HOST/USERPOOLS_PORT say, or HOST=/PORT= on the command line (not HOST and
# PORT from the environment: shells and platforms set those for their own ends). The database is
# USERPOOLS_DATABASE_URL, read by `userpools serve` itself (default sqlite:///.userpools/userpools.db).
HOST := $(or $(USERPOOLS_HOST),127.0.0.1)
PORT := $(or $(USERPOOLS_PORT),9229)

.PHONY: run test lint postgres chromium xmlsec1 bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	touch $(STAMP)

# Installed again only when pyproject.toml changes (the install is editable: source edits need none). The
# client extra puts boto3 and the AWS CLI in .venv, for the README's first screen.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[client]'
	touch $(RUN_STAMP)

run: xmlsec1 $(RUN_STAMP)
	$(BIN)/userpools serve --host $(HOST) --port $(PORT)

# The storage suite runs on a real PostgreSQL that the tests start themselves; install it if missing.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)

# The managed login pages are tested in Debian's headless Chromium (driven by playwright, never its own browser).
chromium:
	@test -x /usr/bin/chromium || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# SAML federation checks XML signatures with Debian's xmlsec1 (pysaml2 runs it); the server and the tests need it.
xmlsec1:
	@command -v xmlsec1 >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >/dev/null)

JS_DEPS := tests/js/node_modules/.installed

# The JavaScript SDK tests' packages, installed again only when tests/js/package.json changes.
$(JS_DEPS): tests/js/package.json
	npm install --prefix tests/js --no-audit --no-fund
	touch $(JS_DEPS)

test: $(STAMP) postgres chromium xmlsec1 $(JS_DEPS)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	rm -rf .coverage-data && mkdir -p .coverage-data
	$(BIN)/coverage run -m pytest -n 2 --ignore=tests/test_storage_connections.py  # two workers: tests wait on live servers
	$(BIN)/coverage run -m pytest tests/test_storage_connections.py  # alone: its bounds hold on an unshared machine
	$(BIN)/coverage combine -q
	$(BIN)/coverage report --skip-covered

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# The peers are installed here only (never for the tests): moto_server in its own virtualenv, cognito-local
# with npm into bench/node_modules when node is present. Sizes and durations: BENCH_ARGS="--sizes 10k,100k,1m"
# or the BENCH_* variables (python -m bench.run --help).
MOTO := bench/.moto-venv/bin/moto_server
BENCH_ARGS ?=

$(MOTO):
	$(PY) -m venv bench/.moto-venv
	bench/.moto-venv/bin/pip install -q 'moto[server]'

bench: $(STAMP) $(MOTO)
	@if command -v npm >/dev/null 2>&1; then \
		test -f bench/node_modules/cognito-local/lib/bin/start.js || \
		(cd bench && npm install --no-audit --no-fund --prefix . cognito-local >/dev/null) || \
		echo "bench: cognito-local could not be installed with npm; it is reported as not run"; \
	else echo "bench: node/npm not found; cognito-local is reported as not run"; fi
	$(BIN)/python -m pytest -q -p no:cacheprovider bench/test_moto_preloaded.py
	$(BIN)/python -m bench.run $(BENCH_ARGS)
	$(BIN)/python -m bench.import_users --rows 100000

clean:
	rm -rf $(VENV) .userpools bench/.moto-venv bench/node_modules
