# The README's two commands, `make demo` and `make test`, set everything up themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
PIP := $(BIN)/python -m pip
# A plain `torch` resolves to a multi-GB CUDA build; the range admits the CPU build that a CPU machine
# offers (2.13.0+cpu here). On a GPU machine: `make demo TORCH=torch`. Extra pip options (e.g. an index for
# CPU wheels): TORCH_PIP_ARGS.
TORCH ?= torch>=2.4,<2.14
TORCH_PIP_ARGS ?=
export PATH := $(BIN):$(PATH)

.PHONY: demo test check-data check docs export clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.core-installed: $(BIN)/python settings.ini setup.py
	$(PIP) install -q $(TORCH_PIP_ARGS) "$(TORCH)"
	$(PIP) install -q -e .
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.core-installed
	$(PIP) install -q -e ".[dev]"
	@touch $@

demo: $(VENV)/.core-installed
	oorl-nb demo

test: $(VENV)/.dev-installed
	tools/drift-check
	pytest -q -n 2 --dist loadgroup --no-loadscope-reorder --durations=15 -m "not exhaustive" tests  # every notebook (nbdev's runner) and test on 2 workers (pytest-xdist): tests sharing a module fixture stay together, slowest first (tests/conftest.py)

# every shipped problem, synthetic level and IR group re-run on the real toolchains (`make test` runs a covering sample)
check-data: $(VENV)/.dev-installed
	pytest -q -n 2 --dist loadgroup --durations=5 -m exhaustive tests

export: $(VENV)/.dev-installed
	tools/colab-cells && nbdev_export && nbdev_clean && oorl-nb docs --readme-only

check: export test check-data
	@if command -v duplicates >/dev/null; then duplicates --change; fi

docs: $(VENV)/.dev-installed
	oorl-nb docs

clean-venv:
	rm -rf $(VENV)
