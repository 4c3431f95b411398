"""Shared fixtures: real virtual environments, real subprocesses, the shipyard CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import venv as venv_module
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
VENV_BIN = Path(sys.executable).parent

# pip and uv in the tests see only what a test gives them, not this machine's pip.conf
# (extra indexes, find-links, constraints) nor the user's uv settings.
os.environ["PIP_CONFIG_FILE"] = os.devnull
os.environ.pop("PIP_FIND_LINKS", None)
os.environ.pop("PIP_EXTRA_INDEX_URL", None)
os.environ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
os.environ["UV_NO_CONFIG"] = "1"


def run(*args: str | os.PathLike, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, capture text output; on failure show what it printed."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    result = subprocess.run([str(a) for a in args], **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(
            f"command failed ({result.returncode}): {' '.join(map(str, args))}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result


def tool(name: str) -> str:
    """Path of a console script installed beside the test interpreter (uv, twine, ...)."""
    path = VENV_BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in the test environment")
    return str(path)


@dataclass
class Venv:
    """A fresh virtual environment, without pip; real pip drives it with `--python`."""

    path: Path

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def bin(self, name: str) -> Path:
        return self.path / "bin" / name

    def pip(self, *args: str | os.PathLike, check: bool = True) -> subprocess.CompletedProcess:
        return run(sys.executable, "-m", "pip", "--python", self.python,
                   "--disable-pip-version-check", *args, check=check)

    def run(self, *args: str | os.PathLike, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        return run(self.python, *args, check=check, **kwargs)


@pytest.fixture
def make_venv(tmp_path_factory):
    """Factory: `make_venv()` returns a new empty Venv (no pip, no setuptools)."""

    def factory(name: str = "venv") -> Venv:
        path = tmp_path_factory.mktemp(name) / ".venv"
        venv_module.create(path, with_pip=False, symlinks=True)
        return Venv(path)

    return factory


@pytest.fixture
def shipyard():
    """Run the shipyard CLI in a subprocess: `shipyard("build", path)`; check=False to inspect failures."""

    def invoke(*args: str | os.PathLike, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        return run(sys.executable, "-m", "shipyard", *args, check=check, **kwargs)

    return invoke
