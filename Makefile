# SOSRAKE workbench. Two commands do everything on a fresh machine:
#   make run    set up .venv and run the main job on the sample data
#   make test   set up .venv and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# axe-core + playwright-core for the accessibility check of the reports (tools/a11y, versions in its lock file)
A11Y_STAMP := tools/a11y/node_modules/.installed-stamp
SEMESTER ?= sample
RAW      ?= data/raw/sample
OUT      ?= outputs
# the sample's competence target group has 160 people (response rate); give your own with RUN_OPTS=...
RUN_OPTS ?= --target-size 160
# The shipped sample has a follow-up round (competence 2022 against 2020, the course's 2022 round); with your
# own RAW folder there is none unless you name one: FOLLOWUP_RAW=data/raw/2022 EARLIER=data/raw/2020/x.xlsx
FOLLOWUP_RAW ?= $(if $(filter data/raw/sample data/raw/sample/,$(RAW)),data/raw/sample/2022,)
EARLIER      ?= $(RAW)/competence_2020.xlsx
# The sample ships a worksheet two synthetic coders ticked (sosrake coding-sample): its agreement with the theme
# codebook goes into the interviews report and infographic note. Give your own with CODED=path/to/sheet.xlsx
CODED ?= $(if $(filter data/raw/sample data/raw/sample/,$(RAW)),data/raw/sample/coding/interviews_coded.xlsx,)

.PHONY: setup a11y-setup run test lint lab bench clean-outputs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name sosrake --display-name "Python (sosrake)"
	touch $(STAMP)

setup: $(STAMP)

$(A11Y_STAMP): tools/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tools/a11y --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility check of the reports will be skipped"; fi

a11y-setup: $(A11Y_STAMP)

run: setup
	$(BIN)/sosrake run all --semester $(SEMESTER) --raw $(RAW) --out $(OUT) $(RUN_OPTS) \
		$(if $(CODED),--coded-worksheet $(CODED))
	@# the follow-up round, then the history of every round's key figures (outputs/history/)
	$(if $(FOLLOWUP_RAW),$(BIN)/sosrake run all --semester $(SEMESTER)_2022 --raw $(FOLLOWUP_RAW) \
		--earlier-round $(EARLIER) --out $(OUT) $(RUN_OPTS))
	$(BIN)/sosrake history $(OUT)

test: setup a11y-setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# pytest exits 5 when it collected no test: a broken suite, so it must not pass
	$(BIN)/python -m pytest -n 2 -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests (exit 5): the suite is broken" >&2; exit 1; fi; \
	exit $$status

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lab: setup
	@# Jupyter refuses to start as root without --allow-root (containers, CI machines)
	$(BIN)/jupyter lab --notebook-dir=. $$([ "$$(id -u)" = 0 ] && echo --allow-root)

bench: setup
	$(BIN)/python benchmarks/run.py

clean-outputs:
	rm -rf outputs/* data/processed/*
