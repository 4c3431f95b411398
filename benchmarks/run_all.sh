#!/usr/bin/env bash
# Run every benchmark, one after the other, and keep their output in benchmarks/.work/results/.
# Needs the project's .venv (scripts/setup.sh) and, for the index benchmark, wrk and nginx
# (installed with apt-get when missing and run as root). Usage: benchmarks/run_all.sh [NAME...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PY=.venv/bin/python
out=benchmarks/.work/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
names=("$@"); [ ${#names[@]} -gt 0 ] || names=(build index freeze install)
for name in "${names[@]}"; do
  echo "=== $name ($(date -u +%H:%M:%S) UTC)"
  case "$name" in
    build)   bash benchmarks/build/run.sh ;;
    index)   if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
               apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
             fi
             $PY benchmarks/index/run.py ;;
    freeze)  $PY -m pip install -q pyinstaller cx_Freeze click rich requests
             $PY benchmarks/freeze/run.py ;;
    install) $PY benchmarks/install/run.py ;;
    *) echo "unknown benchmark: $name" >&2; exit 2 ;;
  esac 2>&1 | tee "$out/$name.txt"
done
echo "results in $out"
