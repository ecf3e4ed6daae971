# Two commands: `make run` and `make test`. Everything else they need, they set up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	mkdir -p .userpools
	$(BIN)/userpools serve --host 127.0.0.1 --port 9229 --database-url sqlite:///.userpools/userpools.db

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

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
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .userpools bench/.moto-venv bench/node_modules
