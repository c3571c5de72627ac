# LLMs Under the Hood: one command per job. `make help` lists them.
#
# Every target installs what it needs on first use (a virtualenv in .venv with
# a CPU build of torch where there is no NVIDIA GPU), so a fresh clone needs
# nothing but Python 3.10+ and make.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TORCH_VERSION ?= 2.13.0
# Where pip finds a CPU-only torch; a GPU machine gets PyPI's default CUDA build.
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
HAS_GPU := $(shell command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1 && echo yes)
TORCH_FLAVOR ?= $(if $(HAS_GPU),cuda,cpu)

PART ?=
DEVICE ?= all
API ?=
SUITE ?= public
IMPL ?= assignments
TEST_ARGS = $(if $(PART),--part $(PART)) --device $(DEVICE) $(if $(API),--api $(API)) --suite $(SUITE) --impl $(IMPL)

.DEFAULT_GOAL := help
.PHONY: help install test check demo grade stubs lint format clean

# Extra set-up `make check` and `make demo` need (mk/*.mk files add to them, e.g. the instructor tools).
CHECK_DEPS :=
DEMO_DEPS :=
# Jobs that ship the course (release, LMS bundles, notebooks) live in their own files.
include $(sort $(wildcard mk/*.mk))

help:
	@echo "make install   set up .venv (CPU torch unless an NVIDIA GPU is present; TORCH_FLAVOR=cuda|cpu)"
	@echo "make test      public tests on your files in assignments/ (PART=1, DEVICE=cpu|cuda|mps, API=softmax)"
	@echo "make demo      grade the bundled example class, regrade one resubmission, write the report (out/demo/)"
	@echo "make grade     SUBMISSIONS=export OUT=results: grade a whole class in the sandbox (GRADE_ARGS=--jobs 4 --similarity)"
	@echo "make check     the project's whole test suite (lint, stub drift, reference, stubs, bug catalog)"
	@echo "make stubs     regenerate assignments/ stubs from solutions/"
	@$(MAKE) --no-print-directory help-shipping help-notebooks help-bench help-report

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	sh mk/install-torch.sh $(PY) $(TORCH_VERSION) $(TORCH_FLAVOR) $(TORCH_CPU_INDEX)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

test: $(STAMP)
	@$(PY) -m autograder test $(TEST_ARGS)

demo: $(STAMP) $(DEMO_DEPS)
	@$(PY) -m autograder demo

grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" -a -n "$(OUT)" || { echo "usage: make grade SUBMISSIONS=path/to/export OUT=path/to/results"; exit 2; }
	@$(PY) -m autograder grade "$(SUBMISSIONS)" "$(OUT)" $(GRADE_ARGS)

check: $(STAMP) lint $(CHECK_DEPS)
	$(PY) -m autograder.build.stubs --check
	$(PY) -m pytest tests -q

stubs: $(STAMP)
	$(PY) -m autograder.build.stubs

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) dist .pytest_cache .ruff_cache
