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
	$(BIN)/pip install -q -e '.[test,pulumi]'
	touch $(STAMP)

run: $(STAMP)
	mkdir -p .userpools
	$(BIN)/userpools serve --host 127.0.0.1 --port 9229 --database-url sqlite:///.userpools/userpools.db

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) .userpools
