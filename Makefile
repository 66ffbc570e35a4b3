# The two commands: `make dev` runs the product locally, `make test` runs every test.
# Both install what they need on first use (virtualenvs, Chromium for the browser tests).

PY_VERSION ?= 3.12
VENV := .venv
PY := $(VENV)/bin/python
SAM := .venv-sam/bin/sam
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: dev test check test-fast test-faults bench lint format venv sam-venv browser build validate clean admin smoke

dev: venv
	$(PY) -m local

# Everything, as CI runs it: the lint first (ruff and mypy run here, not inside pytest), then every
# suite in one pytest session (the unit tests fill a worker while the other builds with SAM).
test: lint sam-venv browser
	$(PY) -m pytest -n 2 --dist loadgroup tests

# The inner loop (under a minute on 2 cores): the lint, then the pure unit tests (no network, no stack).
check: lint
	$(PY) -m pytest -n 2 -q tests/unit

test-fast: venv
	$(PY) -m pytest -n 2 tests/unit

test-faults: venv
	$(PY) -m pytest -n 2 -m "load or not load" -q tests/faults

bench: venv
	$(PY) -m bench

lint: venv
	$(VENV)/bin/ruff format --check . && $(VENV)/bin/ruff check . && MYPY=$(VENV)/bin/mypy scripts/typecheck.sh

# Formats the code and sorts its imports, as `make lint` wants them.
format: venv
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --select I --fix .

venv: $(VENV)/.installed
sam-venv: .venv-sam/.installed

$(VENV)/.installed: requirements-dev.txt layers/common/requirements.txt constraints.txt
	@[ -x $(PY) ] || "$$(scripts/find-python.sh $(PY_VERSION))" -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) -r requirements-dev.txt -c constraints.txt
	@touch $@

.venv-sam/.installed: requirements-sam.txt
	@[ -x .venv-sam/bin/python ] || "$$(scripts/find-python.sh $(PY_VERSION))" -m venv .venv-sam
	.venv-sam/bin/python -m pip install $(PIP_QUIET) -r requirements-sam.txt
	@touch $@

browser:
	@scripts/install-browser.sh

# Deployment helpers (see README): sam build needs python$(PY_VERSION) on PATH.
validate: sam-venv
	$(SAM) validate --lint

build: sam-venv
	PATH="$$(dirname "$$(scripts/find-python.sh $(PY_VERSION))"):$$PATH" $(SAM) build

# After a deploy: invite the first admin (Cognito e-mails the temporary password), then check the
# stack from outside without sending any WhatsApp message (see README).
admin: venv
	$(PY) scripts/create_admin.py "$(EMAIL)"

smoke: venv
	API_URL="$(API_URL)" ADMIN_EMAIL="$(ADMIN_EMAIL)" ADMIN_PASSWORD="$(ADMIN_PASSWORD)" $(PY) scripts/smoke.py

clean:
	rm -rf $(VENV) .venv-sam .aws-sam .pytest_cache
