"""Staging environments: where a PEP 723 script's dependencies or a project (built by
shipyard's frontend) get installed from the index with pip, to be bundled from there."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from shipyard_core.errors import ShipyardError

from shipyard.freeze.cache import build_cache


def _site_packages(env: Path) -> Path:
    return env / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


def _pip_install(env: Path, args: list[str], what: str, origin: Path) -> None:
    cmd = [sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install",
           "--quiet", "--no-input", "--disable-pip-version-check", *args]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [ln for ln in result.stderr.strip().splitlines() if ln.strip()]
        detail = "\n".join(lines[-6:]) or result.stdout.strip()[-500:]
        raise ShipyardError(f"cannot install {what}:\n{detail}", file=origin)


def _new_env(path: Path) -> None:
    venv.create(path, with_pip=False, symlinks=True, clear=True)


def for_requirements(requirements: list[str], origin: Path) -> Path:
    """The site-packages of a cached environment holding exactly `requirements` (installed once)."""
    key = hashlib.sha256("\n".join([sys.version, *sorted(requirements)]).encode()).hexdigest()[:16]
    env = build_cache() / "envs" / key
    if (env / ".complete").exists():
        return _site_packages(env)
    env.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{key}.tmp-", dir=env.parent))
    try:
        _new_env(tmp)
        if requirements:
            _pip_install(tmp, list(requirements), "the script's dependencies", origin)
        (tmp / ".complete").write_text("\n".join(requirements) + "\n")
        # the environment is only read from, never run, so moving it is safe
        try:
            os.rename(tmp, env)
        except OSError:
            if not (env / ".complete").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return _site_packages(env)


class ProjectEnvironment:
    """A temporary environment with a project (and its dependencies) installed: a context manager."""

    def __init__(self, project: Path):
        self.project = project
        self.path = Path(tempfile.mkdtemp(prefix="project-", dir=build_cache()))

    def __enter__(self) -> Path:
        from shipyard.frontend import build

        # shipyard builds the wheel (in-process for shipyard-core, isolated for other
        # backends), so a project needs no backend on the index; pip brings its dependencies
        wheel = build(self.project, self.path / "wheel", sdist=False).wheel
        _new_env(self.path / "env")
        _pip_install(self.path / "env", [str(wheel)], "the project", self.project / "pyproject.toml")
        return _site_packages(self.path / "env")

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
