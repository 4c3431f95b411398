#!/usr/bin/env bash
# The main job: set up shipyard, then run the seed's packaging workflow on examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh freeze
bash scripts/setup.sh
exec .venv/bin/python -m shipyard.demo "$@"
