#!/usr/bin/env bash
# The deployment's linters (`make lint`, in .venv-lint): cfn-lint with AWS Labs' serverless rules,
# checkov with its reviewed skip list (.checkov.yaml), bandit on the deployed Python, and the IAM
# check (scripts/iam_policies.py). They run side by side (each is one process, mostly one core);
# each one's findings print together, in this order. The script fails if any tool found any.
set -u
cd "$(dirname "$0")/.."
BIN=${LINT_VENV:-.venv-lint}/bin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# WS1000 (X-Ray tracing): not enabled. Traces are billed per request beyond the free tier, and
# the logs (Powertools, with the request id) and the dashboard answer what tracing would.
{ "$BIN/cfn-lint" template.yaml -a cfn_lint_serverless.rules --ignore-checks WS1000 && echo "cfn-lint (+ serverless rules): done"; } >"$out/1" 2>&1 &
cfn=$!

# Offline: no Prisma Cloud guidelines download (CI reaches no network but the package registries).
BC_SKIP_MAPPING=TRUE "$BIN/checkov" -f template.yaml --config-file .checkov.yaml --skip-download >"$out/2" 2>&1 &
checkov=$!

# B101 (assert): the asserts narrow types for mypy; the layer is never run with -O. helpdesk/texts is
# the bot's pt-BR wording only (its "Senha" label reads as a password to B105).
{ "$BIN/bandit" -q -r layers/common/helpdesk functions scripts -s B101 -x layers/common/helpdesk/texts && echo "bandit: done"; } >"$out/3" 2>&1 &
bandit=$!

"$BIN/python" scripts/iam_policies.py >"$out/4" 2>&1 &
iam=$!

status=0
for pid in $cfn $checkov $bandit $iam; do wait "$pid" || status=1; done
cat "$out/1" "$out/2" "$out/3" "$out/4"
exit $status
