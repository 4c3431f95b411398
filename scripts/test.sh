#!/usr/bin/env bash
# The test command: sets up everything the tests need, then runs them all.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/core -k wheel).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh test
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest -n "${SHIPYARD_TEST_WORKERS:-4}" --timeout 600 "$@"
