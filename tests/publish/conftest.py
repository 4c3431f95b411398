"""Fixtures for publish tests: a project's dists (built once), pypiserver, a form recorder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from publish_servers import Recorder, start_pypiserver, start_recorder  # noqa: E402

PROJECT = {
    "pyproject.toml": """\
[build-system]
requires = ["shipyard-core"]
build-backend = "shipyard_core.backend"

[project]
name = "Ship_Demo"
version = "{version}"
description = "A project the publish tests upload"
readme = "README.md"
license = "MIT"
license-files = ["LICENSE"]
requires-python = ">=3.9"
keywords = ["demo", "upload"]
authors = [{{ name = "Alice", email = "alice@example.com" }}]
classifiers = ["Programming Language :: Python :: 3", "Topic :: Software Development"]
dependencies = []

[project.optional-dependencies]
extra = ["packaging>=20"]

[project.urls]
Homepage = "https://example.com/ship-demo"
Source = "https://example.com/ship-demo/src"
""",
    "README.md": "# Ship demo\n\nUploaded by **shipyard publish** tests.\n",
    "LICENSE": "MIT License\n\nCopyright (c) 2026 Alice\n",
    "src/ship_demo/__init__.py": "VALUE = {version!r}\n",
}


def build_project(root: Path, version: str) -> list[Path]:
    """Write the demo project at `version` and build its sdist and wheel with shipyard."""
    for name, text in PROJECT.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(version=version))
    subprocess.run([sys.executable, "-m", "shipyard", "build", str(root), "-o", str(root / "dist")],
                   check=True, capture_output=True)
    return sorted((root / "dist").iterdir())


@pytest.fixture(scope="session")
def demo_dists(tmp_path_factory) -> dict[str, list[Path]]:
    """Versions of the demo project, each [sdist, wheel], built once per session."""
    base = tmp_path_factory.mktemp("publish-dists")
    return {version: build_project(base / version, version) for version in ("1.0", "1.1", "1.2", "2.0")}


@pytest.fixture(scope="module")
def pypiserver(tmp_path_factory):
    server = start_pypiserver(tmp_path_factory.mktemp("pypiserver"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    server = start_recorder()
    yield server
    server.server.shutdown()


@pytest.fixture
def clean_env(tmp_path, monkeypatch) -> dict[str, str]:
    """An environment with no credentials, HOME in tmp_path (no real ~/.pypirc), no keyring."""
    for name in list(os.environ):
        if name.startswith(("TWINE_", "SHIPYARD_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return dict(os.environ)
