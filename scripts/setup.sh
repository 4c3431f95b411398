#!/usr/bin/env bash
# Make .venv with shipyard and shipyard-core installed (editable, built by shipyard-core
# itself). Idempotent: re-running only brings what is missing. Usage: scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PY=$(command -v "$candidate"); break
    fi
  done
fi
[ -n "$PY" ] || { echo "shipyard needs Python 3.11 or newer on PATH" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    # no ensurepip (Debian's python3 without python3-venv): make it bare, then fetch pip
    rm -rf .venv
    "$PY" -m venv --without-pip .venv
    .venv/bin/python scripts/bootstrap_pip.py
  fi
fi
stamp=.venv/.shipyard-setup
want=$(cat pyproject.toml core/pyproject.toml requirements/test.txt | sha256sum | cut -c1-16)$([ "${1:-}" = --test ] && echo -test)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ./core -e .
  if [ "${1:-}" = --test ]; then
    .venv/bin/python -m pip install -q -r requirements/test.txt
  fi
  echo "$want" > "$stamp"
fi
