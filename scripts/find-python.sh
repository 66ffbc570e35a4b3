#!/usr/bin/env bash
# Prints the path of a working interpreter of the Lambda runtime's Python version ($1, e.g. 3.12):
# on PATH first, then in pyenv's versions. pyenv shims exist for versions that are not active, so
# each candidate is run before it is trusted.
set -u
want=${1:-3.12}
candidates=("$(command -v "python$want" 2>/dev/null)")
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for dir in "$root"/versions/"$want"*/bin; do candidates+=("$dir/python$want"); done
candidates+=("$(command -v python3 2>/dev/null)")
for python in "${candidates[@]}"; do
  [ -n "$python" ] && [ -x "$python" ] || continue
  if "$python" -c "import sys; sys.exit(0 if sys.version.startswith('$want.') else 1)" 2>/dev/null; then
    echo "$python"; exit 0
  fi
done
echo "no working python$want found (PATH or pyenv)" >&2
exit 1
