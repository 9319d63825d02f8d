# Quick start: `make lab` (open JupyterLab on the quickstart) and `make test` (run every test).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
ROOT_FLAG := $(shell [ "$$(id -u)" = "0" ] && echo --allow-root)
# jlpm (yarn) and jupyter-builder come with the venv and need its bin/ on PATH.
JLPM := PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(CURDIR)/$(VENV)/bin/jlpm
LABEXT := src/labtrack/labextension/package.json

.PHONY: lab test test-fast bench install install-test install-bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml jupyter_ext/package.json jupyter_ext/yarn.lock
	$(PIP) install --quiet -e .
	$(VENV)/bin/jupyter-builder develop --overwrite .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	$(VENV)/bin/jupyter-builder develop --overwrite .
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PIP) install --quiet -e '.[bench,parquet]'
	touch $@

# Rebuild the panel when its TypeScript changes (pip install -e built it once).
$(LABEXT): $(VENV)/.installed $(shell find jupyter_ext/src jupyter_ext/style -type f 2>/dev/null)
	cd jupyter_ext && $(JLPM) build
	touch $@

install: $(VENV)/.installed $(LABEXT)
install-test: $(VENV)/.installed-test $(LABEXT)
install-bench: $(VENV)/.installed-bench

lab: install
	LABTRACK_DIR=$(CURDIR)/.labtrack $(VENV)/bin/jupyter lab $(ROOT_FLAG) notebooks/quickstart.ipynb

test: install-test
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	cd jupyter_ext && $(JLPM) lint:check && $(JLPM) test
	$(PY) -m pytest

# The edit loop: lint, and every test that needs no real kernel, server or browser (make test runs all).
test-fast: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m pytest -q -m "not external"

bench: install-bench
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis src/labtrack/labextension
