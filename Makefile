# Group Leader: `make run` installs and starts the program; `make test` installs and tests it;
# `make wheel-check` builds the wheel and tries it in a new virtual environment (see .ci/wheel-check).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench screenshots wheel-check clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(VENV)/bin/groupleader $(ARGS)

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check groupleader tests bench
	$(VENV)/bin/mypy

bench: $(VENV)/.installed-test
	for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

wheel-check:
	PYTHON=$(PYTHON) .ci/wheel-check

screenshots: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m groupleader.screenshots docs/screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
