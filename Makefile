# Two commands on a fresh machine with only Python: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
PYTEST_ARGS ?=

.PHONY: run test lint typecheck pytest install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME) $@

install: $(DEV)

run: $(RUNTIME)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --size small
	$(BIN)/python manage.py search_index update --no-progress
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV)
	$(BIN)/mypy

# The browser tier needs Debian's chromium and the SAML sign-in tier Debian's xmlsec1: each is
# installed here when possible, otherwise that tier alone is left out, with the reason printed.
pytest: $(DEV)
	@skip=""; \
	if ! scripts/ensure-chromium; then \
		echo "NOTE: browser tests left out: /usr/bin/chromium is missing and could not be installed (needs root and apt-get)."; \
		skip="not browser"; \
	fi; \
	if ! scripts/ensure-xmlsec1; then \
		echo "NOTE: SAML sign-in tests left out: /usr/bin/xmlsec1 is missing and could not be installed (needs root and apt-get)."; \
		skip="$${skip:+$$skip and }not saml"; \
	fi; \
	if [ -n "$$skip" ]; then \
		$(BIN)/python -m pytest -m "$$skip" $(PYTEST_ARGS); \
	else \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
