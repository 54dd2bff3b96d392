# Group Leader: `make run` installs and starts the program; `make test` installs and tests it;
# `make migration-check` checks the migrations; `make wheel-check` builds the wheel and tries it
# in a new virtual environment (see .ci/wheel-check).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench screenshots migration-check wheel-check clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# An editable install leaves the package's bytecode uncompiled (pip compiles only what it
# copies into site-packages, as from a wheel); compiled here, the first start does not pay.
COMPILE := $(PY) -m compileall -q -j 0 groupleader

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	$(COMPILE)
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	$(COMPILE)
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(COMPILE)
	$(VENV)/bin/groupleader $(ARGS)

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check groupleader tests bench
	$(VENV)/bin/mypy

bench: $(VENV)/.installed-test
	for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# A new migration: schema matches the models from a fresh vault and after upgrading one made
# by the previous head; a failing revision leaves a vault as it was (docs/migrations.md).
migration-check: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/data/test_model_schema.py \
		tests/data/test_migrations_atomic.py tests/data/test_vault_upgrade.py

wheel-check:
	PYTHON=$(PYTHON) .ci/wheel-check

screenshots: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m groupleader.screenshots docs/screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
