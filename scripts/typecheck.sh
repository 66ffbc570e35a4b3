#!/bin/sh
# mypy (settings in pyproject.toml) over the layer, then over each function's folder on its own:
# every function has an app.py, deployed as the top-level module of its own package.
set -e
cd "$(dirname "$0")/.."
MYPY="${MYPY:-.venv/bin/mypy}"
"$MYPY" --cache-dir .mypy_cache/layer layers/common/helpdesk
for dir in functions/*/; do
    name="$(basename "$dir")"
    MYPYPATH="$dir" "$MYPY" --cache-dir ".mypy_cache/$name" "$dir"
done
