# Bastion: `make demo` runs it with the demo district on SQLite; `make test` runs the suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# demo and test run with a throwaway secret key; production sets BASTION_SECRET_KEY.
export BASTION_INSECURE_DEV ?= 1

.PHONY: bootstrap demo serve test lint typecheck messages bench clean

bootstrap: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: bootstrap
	BASTION_DEBUG=1 $(BIN)/bastion migrate --noinput
	BASTION_DEBUG=1 $(BIN)/bastion demo --addr $(HOST):$(PORT)

test: bootstrap
	$(BIN)/pytest $(PYTEST_ARGS)

lint: bootstrap
	$(BIN)/ruff check .
	$(BIN)/mypy bastion

messages: bootstrap
	cd bastion && ../$(BIN)/bastion makemessages -l zh_Hans -l zh_Hant -l en --no-obsolete
	cd bastion && ../$(BIN)/bastion compilemessages

clean:
	rm -rf $(VENV) var
