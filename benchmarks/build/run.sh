#!/bin/sh
# One command: the build benchmark (creates benchmarks/.work/venv on first run).
# Usage: benchmarks/build/run.sh [--rounds N] [--trees tiny,django] [--no-isolated] [--profile]
exec python3 "$(dirname "$0")/bench.py" "$@"
