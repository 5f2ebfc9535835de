# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install
# everything from pyproject.toml; nothing needs to be installed by hand.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: setup demo lint browser test test-fast bench proto clean

setup: $(STAMP)

$(STAMP): pyproject.toml tests/deploy/taquito/package-lock.json
	@# pytezos loads libsodium at import time; Debian images normally ship it, install it only if missing.
	@ldconfig -p | grep -q 'libsodium\.so' || { apt-get update -qq && apt-get install -y -qq libsodium23; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# Taquito's local forger, the reference tests/deploy/test_forge_taquito.py checks our forging against.
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --silent --no-audit --no-fund --prefix tests/deploy/taquito
	@touch $(STAMP)

## demo: build the kernel and run the main job on the embedded defaults
demo: setup
	$(VENV)/bin/dsn demo

## lint: ruff (lint + import order) and the import-layer contracts of docs/ARCHITECTURE.md
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

## browser: Debian's chromium for the dashboard test (tests/dashboard/test_browser.py); installed only
## when missing and CI=true (elsewhere the test skips and says how to install it)
browser:
	@command -v chromium >/dev/null || [ "$(CI)" != "true" ] || { apt-get update -qq && apt-get install -y -qq chromium; }

## test: lint, then the whole suite (what CI runs); fails when no test is collected (pytest exit 5)
test: lint browser
	$(PY) -m pytest -q -m "slow or not slow" $(PYTEST_ARGS)

## test-fast: everything except tests marked slow
test-fast: setup
	$(PY) -m pytest -q -m "not slow" $(PYTEST_ARGS)

## proto: regenerate dsn/proto/*_pb2*.py after editing a dsn/proto/*.proto (tests/dsn/test_proto.py checks them)
proto: setup
	$(PY) scripts/gen_proto

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
