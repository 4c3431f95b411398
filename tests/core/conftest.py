"""Helpers for the build tests: write small projects into tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

BACKEND = """
[build-system]
requires = ["shipyard-core"]
build-backend = "shipyard_core.backend"
"""


def write_project(root: Path, pyproject: str, files: dict[str, str] | None = None, backend: bool = True) -> Path:
    """A project folder: pyproject.toml (with our build-system unless told not) plus files."""
    root.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(pyproject).lstrip()
    if backend:
        text = BACKEND.lstrip() + "\n" + text
    (root / "pyproject.toml").write_text(text)
    for name, content in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip())
    return root


SAMPLE_PYPROJECT = """
[project]
name = "Sample.Project"
dynamic = ["version"]
description = "A sample project for the build tests."
readme = "README.md"
requires-python = ">=3.9"
license = "MIT OR Apache-2.0"
authors = [{name = "Ada Lovelace", email = "ada@example.org"}, {name = "Bob"}]
maintainers = [{email = "team@example.org"}]
keywords = ["sample", "test"]
classifiers = ["Programming Language :: Python :: 3", "Development Status :: 3 - Alpha"]
dependencies = ["packaging>=20", 'tomli; python_version < "3.11"']

[project.optional-dependencies]
CLI = ["click>=8"]
Fancy_Output = ['rich>=13; sys_platform != "win32"']

[project.urls]
Homepage = "https://example.org"
Source = "https://example.org/src"

[project.scripts]
sample-hello = "sample_project.cli:main"

[project.entry-points."sample.plugins"]
basic = "sample_project.plugins:basic"
"""

SAMPLE_FILES = {
    "README.md": "# Sample\n\nA *sample* project.\n",
    "LICENSE": "MIT License text\n",
    "src/sample_project/__init__.py": '"""Sample."""\n\n__version__ = "1.2.3"\n',
    "src/sample_project/cli.py": """
        import sys

        from sample_project.data import greeting


        def main() -> int:
            print(greeting(), *sys.argv[1:])
            return 0
        """,
    "src/sample_project/data.py": """
        from importlib.resources import files


        def greeting() -> str:
            return files("sample_project").joinpath("greeting.txt").read_text().strip()
        """,
    "src/sample_project/greeting.txt": "hello from sample\n",
    "src/sample_project/plugins.py": "def basic():\n    return 'basic'\n",
    "src/sample_project/sub/__init__.py": "",
    "src/sample_project/sub/mod.py": "VALUE = 42\n",
    "tests/test_sample.py": "def test_nothing():\n    pass\n",
    ".gitignore": "*.log\n/local/\n",
    "debug.log": "ignored\n",
    "local/notes.txt": "ignored\n",
    ".env": "SECRET=1\n",
    "server.pem": "-----BEGIN-----\n",
}


@pytest.fixture(name="write_project")
def write_project_fixture():
    """`write_project(root, pyproject_text, {path: content})` -> root."""
    return write_project


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A src-layout project using most of PEP 621 (not a git checkout)."""
    return write_project(tmp_path / "sample", SAMPLE_PYPROJECT, SAMPLE_FILES)
