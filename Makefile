# Every target creates the local virtual environment (.venv) on first use and
# installs keras_gen into it, so `make demo` and `make test` work on a fresh
# machine with only Python 3.10+ on it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export TF_CPP_MIN_LOG_LEVEL ?= 3

.PHONY: venv demo test lint bench clean

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,plots]"
	touch $@

venv: $(VENV)/.installed

## make demo: train a GAN on the 8-Gaussian ring; pictures and model in runs/gan_ring
demo: venv
	$(PY) examples/gan_ring.py --output runs/gan_ring

## make test: the whole test suite (unit tests and docstring examples)
test: venv
	$(PY) -m pytest -n 2 -q

## make bench: every benchmark (about 20 minutes on 2 cores); results in benchmarks/results
bench: venv
	$(PY) benchmarks/gan_ring_modes.py
	$(PY) benchmarks/vae_digits_nll.py
	$(PY) benchmarks/flow_2d_nll.py

lint: venv
	$(VENV)/bin/ruff check keras_gen tests examples benchmarks
	$(VENV)/bin/ruff format --check keras_gen tests examples benchmarks

clean:
	rm -rf runs .pytest_cache
