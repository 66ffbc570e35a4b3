#!/bin/sh
# mypy (settings in pyproject.toml) over the layer, then over each function's folder on its own:
# every function has an app.py, deployed as the top-level module of its own package.
cd "$(dirname "$0")/.." || exit 2
MYPY="${MYPY:-.venv/bin/mypy}"
status=0
"$MYPY" layers/common/helpdesk || status=1
for dir in functions/*/; do
    # One cache for all: only the functions' own modules (their `app` above all) are checked again.
    MYPYPATH="$dir" "$MYPY" "$dir" || status=1
done
exit $status
