"""Cached, isolated build environments for projects built by another backend.

An environment is keyed by its build requirements and the Python version; one with the
same key is reused. They live in `cache_dir()/build-envs/` (SHIPYARD_CACHE_DIR overrides
the cache root); deleting that folder clears them. A lock makes concurrent builds safe.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from shipyard_core.errors import BuildError


def cache_dir() -> Path:
    """shipyard's cache root: $SHIPYARD_CACHE_DIR, else the user cache directory."""
    if override := os.environ.get("SHIPYARD_CACHE_DIR"):
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("shipyard", appauthor=False))


@dataclass(frozen=True)
class BuildEnv:
    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def install(self, requirements: list[str], index_url: str | None = None) -> None:
        """Install requirements with pip (from the configured or given index)."""
        if not requirements:
            return
        command = [sys.executable, "-m", "pip", "--python", str(self.python), "install", "--quiet",
                   "--disable-pip-version-check", *requirements]
        if index_url:
            command += ["--index-url", index_url]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise BuildError(f"could not install the build requirements {requirements}:\n{result.stderr.strip()}")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def environment_key(requirements: list[str]) -> str:
    text = "\n".join(sorted(r.strip() for r in requirements)) + f"\n{sys.version_info[:2]}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def get_environment(requirements: list[str], index_url: str | None = None) -> BuildEnv:
    """A ready environment holding `requirements`, made once and then reused."""
    root = cache_dir() / "build-envs"
    key = environment_key(requirements)
    env = BuildEnv(root / key)
    done = env.path / ".shipyard-complete"
    with _locked(root / f"{key}.lock"):
        if not done.exists():
            shutil.rmtree(env.path, ignore_errors=True)
            venv.create(env.path, with_pip=False, symlinks=True)
            env.install(requirements, index_url)
            done.write_text("\n".join(requirements) + "\n")
    return env
