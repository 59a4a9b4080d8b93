# Each target creates .venv itself when it is missing.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime

NODE_STAMP := node_modules/.installed

.PHONY: install mermaid demo test lint actionlint lock format bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,sandbox]'
	touch $(STAMP)

install: $(STAMP)

# What the demo runs and nothing more: the tool and its sandbox (moto), not the dev tools.
# uv (from PyPI, into the virtualenv) resolves and installs them in a few seconds of CPU where
# pip takes about thirty; where uv cannot be had or fails, pip does it. -qq keeps pip to its
# errors (a site's pip.conf may add warnings about index locations that say nothing about this
# install); --no-compile leaves byte-compiling to the first import, which touches little of moto.
PIP_QUIET := -qq --no-compile --disable-pip-version-check --progress-bar off
$(RUNTIME_STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@echo "installing pmp-reconcile and its sandbox into $(VENV)"
	@{ $(PY) -m pip install $(PIP_QUIET) uv && \
	   $(BIN)/uv pip install --quiet --python $(PY) -e '.[sandbox]'; } || \
	  $(PY) -m pip install $(PIP_QUIET) -e '.[sandbox]'
	@touch $(RUNTIME_STAMP)

# mermaid's own renderer, so tests can check the diagrams plans draw: @mermaid-js/mermaid-cli from
# package-lock.json, driving Debian's chromium (puppeteer downloads no browser of its own). Where
# neither can be installed (no apt-get, no root, no registry) this says so and the tests that
# need them skip with that reason.
$(NODE_STAMP): package.json package-lock.json
	command -v chromium >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } || \
	  echo "chromium could not be installed; the mermaid rendering test will skip"
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP) || \
	  echo "npm ci failed; the mermaid rendering test will skip"

mermaid: $(NODE_STAMP)

# The GitHub workflows and the composite action: actionlint (syntax, expressions, contexts) and
# zizmor (security audits; offline, so it never calls the GitHub API). Both come from .[dev].
actionlint: $(STAMP)
	$(BIN)/actionlint
	$(BIN)/zizmor --offline --min-severity medium .github/workflows action.yml

# The action's install set, every file pinned by hash (action.yml installs with --require-hashes):
# the runtime dependencies of pyproject.toml and its build backend, resolved from the index.
lock: $(STAMP)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	  --allow-unsafe --strip-extras --all-build-deps --no-emit-index-url --no-emit-find-links \
	  --output-file requirements-lock.txt pyproject.toml

# The whole loop on the embedded sandbox: a marketplace "made by hand" in an organization of
# nine accounts, then the example tree: who it affects, apply, the governance it leaves, and why
# one account is governed as it is.
demo: $(RUNTIME_STAMP)
	$(BIN)/pmp-reconcile validate desired_state
	$(BIN)/pmp-reconcile sandbox reset --seed examples/sandbox-seed.json
	$(BIN)/pmp-reconcile --sandbox plan desired_state --org-impact
	$(BIN)/pmp-reconcile --sandbox apply desired_state --auto-approve
	$(BIN)/pmp-reconcile --sandbox plan desired_state --detailed-exitcode
	$(BIN)/pmp-reconcile --sandbox map desired_state --live
	$(BIN)/pmp-reconcile --sandbox explain 666666666666 desired_state --live --product tableau

test: $(STAMP) mermaid
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
	rm -rf $(VENV) node_modules .pmp-sandbox .pmp-cache .pytest_cache .mypy_cache .ruff_cache
