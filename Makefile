# The two commands: `make dev` runs the product locally, `make test` runs every test.
# Both install what they need on first use (virtualenvs, Chromium for the browser tests).

PY_VERSION ?= 3.12
VENV := .venv
PY := $(VENV)/bin/python
SAM := .venv-sam/bin/sam
PIP_QUIET := --quiet --disable-pip-version-check
# The tests keep compiled modules (and pytest its rewritten test modules) in the ignored __pycache__
# even where the shell says not to: otherwise every run and every xdist worker compiles them all again.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest

.PHONY: dev test check test-fast test-faults bench lint lint-code lint-aws iam-policies format venv sam-venv lint-venv browser build validate deploy replay clean admin smoke

dev: venv
	$(PY) -m local

# Everything, as CI runs it: the lint first (ruff and mypy run here, not inside pytest), then every
# suite in one pytest session (the unit tests fill a worker while the other builds with SAM).
test: lint sam-venv browser
	$(PYTEST) -n 2 --dist loadgroup tests

# The inner loop (under a minute on 2 cores): the code's lint, then the pure unit tests (no network,
# no stack). The template's linters run in `make lint` (and so in `make test` and CI).
check: lint-code
	$(PYTEST) -n 2 -q tests/unit

test-fast: venv
	$(PYTEST) -n 2 tests/unit

test-faults: venv
	$(PYTEST) -n 2 -m "load or not load" -q tests/faults

bench: venv
	$(PY) -m bench

lint: lint-code lint-aws

lint-code: venv
	$(VENV)/bin/ruff format --check . && $(VENV)/bin/ruff check . && MYPY=$(VENV)/bin/mypy scripts/typecheck.sh

# cfn-lint with the serverless rules, checkov (reviewed skips in .checkov.yaml), bandit and the IAM
# check of every function's policy (scripts/iam_policies.py), from their own virtualenv.
lint-aws: lint-venv
	scripts/lint-aws.sh

# After changing a function's Policies: the rendered policies the integration tests check calls against.
iam-policies: lint-venv
	.venv-lint/bin/python scripts/iam_policies.py --write

# Formats the code and sorts its imports, as `make lint` wants them.
format: venv
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --select I --fix .

venv: $(VENV)/.installed
sam-venv: .venv-sam/.installed
lint-venv: .venv-lint/.installed

$(VENV)/.installed: requirements-dev.txt layers/common/requirements.txt constraints.txt
	@[ -x $(PY) ] || "$$(scripts/find-python.sh $(PY_VERSION))" -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) -r requirements-dev.txt -c constraints.txt
	@touch $@

.venv-lint/.installed: requirements-lint.txt
	@[ -x .venv-lint/bin/python ] || "$$(scripts/find-python.sh $(PY_VERSION))" -m venv .venv-lint
	.venv-lint/bin/python -m pip install $(PIP_QUIET) -r requirements-lint.txt
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

# Builds and deploys (README "First deploy"); says so when no alarm e-mail was given.
deploy: build
	$(SAM) deploy $(if $(GUIDED),--guided) $(if $(ALARM_EMAIL),--parameter-overrides AlarmEmail=$(ALARM_EMAIL))
	@$(SAM) list stack-outputs --output json 2>/dev/null | grep -q AlarmEmailMissing && \
		echo "WARNING: no AlarmEmail: the alarms reach nobody (make deploy ALARM_EMAIL=you@example.com)" >&2 || true

# Hands the stream batches parked in the failure bucket back to their functions (README).
replay: venv
	$(PY) scripts/replay_parked.py $(if $(BUCKET),--bucket $(BUCKET)) $(if $(DRY_RUN),--dry-run)

# After a deploy: invite the first admin (Cognito e-mails the temporary password), then check the
# stack from outside without sending any WhatsApp message (see README).
admin: venv
	$(PY) scripts/create_admin.py "$(EMAIL)"

smoke: venv
	API_URL="$(API_URL)" ADMIN_EMAIL="$(ADMIN_EMAIL)" ADMIN_PASSWORD="$(ADMIN_PASSWORD)" $(PY) scripts/smoke.py

clean:
	rm -rf $(VENV) .venv-sam .venv-lint .aws-sam .pytest_cache
