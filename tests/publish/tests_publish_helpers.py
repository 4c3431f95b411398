"""Running the CLI and tools in the publish tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from publish_servers import PASSWORD, USER


def cli(*args: object, env: dict[str, str], check: bool = False, module: bool = True) -> subprocess.CompletedProcess:
    """`python -m shipyard ARGS` (or a program, with module=False), output captured as text."""
    command = [sys.executable, "-m", "shipyard", *map(str, args)] if module else list(map(str, args))
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} failed:\n{result.stdout}\n{result.stderr}")
    return result


def credentials_env(env: dict[str, str], user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    return {**env, "SHIPYARD_USERNAME": user, "SHIPYARD_PASSWORD": password}


def tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in the test environment")
    return str(path)
