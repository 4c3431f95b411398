"""Legacy projects (setup.py / setup.cfg without [project]): read without setuptools."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shipyard_core.errors import BuildError


def is_legacy(root: Path) -> bool:
    return (root / "setup.py").is_file() or (root / "setup.cfg").is_file()


def load(root: Path, pyproject: dict[str, Any] | None = None):
    raise BuildError("legacy setup.py / setup.cfg projects are not supported yet", file=root / "setup.py")
