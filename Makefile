# Bastion: `make demo` runs it with the demo district on SQLite; `make test` runs the suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
LANGS := -l zh_Hans -l zh_Hant -l en
# Apps that keep their own translations in bastion/<app>/locale/.
APPS_WITH_LOCALE = $(patsubst bastion/%/locale,%,$(wildcard bastion/*/locale))

# demo and test run with a throwaway secret key; production sets BASTION_SECRET_KEY.
export BASTION_INSECURE_DEV ?= 1

.PHONY: bootstrap bootstrap-dev demo demo-load serve test lint typecheck messages bench clean

# Runtime dependencies only (enough for the demo); the dev extras add the test and lint tools.
bootstrap: $(VENV)/.installed
bootstrap-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --no-compile -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Migrate, load the demo district (idempotent), print the demo accounts, serve on HOST:PORT.
demo: bootstrap
	BASTION_DEBUG=1 $(BIN)/bastion demo --addr $(HOST):$(PORT)

demo-load: bootstrap
	BASTION_DEBUG=1 $(BIN)/bastion demo --load-only

serve: bootstrap
	BASTION_DEBUG=1 $(BIN)/bastion migrate --noinput
	BASTION_DEBUG=1 $(BIN)/bastion runserver $(HOST):$(PORT)

# Two workers by default (pytest-xdist); `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= 2
test: bootstrap-dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: bootstrap-dev
	$(BIN)/ruff check .

typecheck: bootstrap-dev
	$(BIN)/mypy bastion

# Extract and compile translations: each app with its own locale/, then the project's (settings, templates/).
messages: bootstrap-dev
	for app in $(APPS_WITH_LOCALE); do \
	  (cd bastion/$$app && ../../$(BIN)/bastion makemessages $(LANGS) --no-obsolete) || exit 1; \
	done
	cd bastion && ../$(BIN)/bastion makemessages $(LANGS) --no-obsolete $(foreach app,$(APPS_WITH_LOCALE),-i $(app))
	cd bastion && ../$(BIN)/bastion compilemessages

# Benchmarks are not tests: each prints its figures and the limit it is held to.
bench: bootstrap-dev
	for script in bench/[!_]*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var
