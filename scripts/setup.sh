#!/usr/bin/env bash
# Make .venv with shipyard and shipyard-core installed (editable, built by shipyard-core
# itself); with --test, also what the tests run. Idempotent: a re-run installs only when
# pyproject.toml or the requirements changed. Usage: scripts/setup.sh [--test]
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
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  rm -rf .venv
  if ! "$PY" -m venv .venv 2>/dev/null; then
    # no ensurepip (Debian's python3 without python3-venv): make it bare, then fetch pip
    rm -rf .venv
    "$PY" -m venv --without-pip .venv
    .venv/bin/python scripts/bootstrap_pip.py
  fi
fi

# install_once NAME FILES... -- PIP-ARGS...: pip install unless FILES are unchanged since last time
install_once() {
  local stamp=".venv/.shipyard-$1"; shift
  local files=()
  while [ "$1" != "--" ]; do files+=("$1"); shift; done; shift
  local want
  want=$(cat "${files[@]}" | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check "$@"
    echo "$want" > "$stamp"
  fi
}
install_once base pyproject.toml core/pyproject.toml -- --upgrade pip -e ./core -e .
if [ "${1:-}" = --test ]; then
  install_once test requirements/test.txt -- -r requirements/test.txt
fi
