"""Where the freezer keeps what it can reuse between builds (never what a build outputs)."""

from __future__ import annotations

import os
from pathlib import Path


def build_cache() -> Path:
    """$SHIPYARD_CACHE_DIR/freeze, else the user's cache folder (e.g. ~/.cache/shipyard/freeze)."""
    env = os.environ.get("SHIPYARD_CACHE_DIR")
    if env:
        base = Path(env)
    else:
        import platformdirs

        base = Path(platformdirs.user_cache_dir("shipyard"))
    path = base / "freeze"
    path.mkdir(parents=True, exist_ok=True)
    return path
