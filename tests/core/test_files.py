"""File selection: gitignore-style patterns and which files a checkout contributes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from shipyard_core.files import PatternSet, sdist_files
from shipyard_core.project import load


@pytest.mark.parametrize(
    ("patterns", "path", "is_dir", "expected"),
    [
        (["*.pyc", "*.log"], "a/b.pyc", False, True),
        (["*.pyc", "*.log"], "migrations/0001_initial.pyc-tpl", False, False),  # each pattern is anchored
        (["*.log"], "logs.d/x.log/inner.txt", False, True),  # a matched folder takes its files
        (["/build/"], "build/lib/x.py", False, True),
        (["/build/"], "benchmarks/build/x.py", False, False),
        (["build/"], "benchmarks/build", True, True),
        (["build/"], "build", False, False),  # a trailing slash matches folders only
        (["docs/**/*.png"], "docs/a/b/c.png", False, True),
        (["docs/**/*.png"], "src/docs/c.png", False, False),
        (["*.py", "!keep.py"], "keep.py", False, False),
        (["*.py", "!keep.py", "keep*"], "keep.py", False, True),  # the last match wins
        (["file[0-9].txt"], "file7.txt", False, True),
        (["file[!0-9].txt"], "file7.txt", False, False),
    ],
)
def test_patterns(patterns: list[str], path: str, is_dir: bool, expected: bool) -> None:
    assert PatternSet.of(patterns).match(path, is_dir) is expected


def test_untracked_project_inside_a_checkout_is_walked(tmp_path: Path, write_project) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    root = write_project(tmp_path / "inner", '[project]\nname = "inner"\nversion = "1"', {"inner.py": "", "notes.txt": ""})
    assert sdist_files(load(root)) == ["inner.py", "notes.txt", "pyproject.toml"]


def test_nested_gitignore_and_virtualenvs_are_honoured(tmp_path: Path, write_project) -> None:
    root = write_project(tmp_path / "p", '[project]\nname = "p"\nversion = "1"', {
        "p/__init__.py": "", "p/data/.gitignore": "*.tmp\n", "p/data/keep.json": "{}", "p/data/x.tmp": "",
        "venv/pyvenv.cfg": "home = /usr\n", "venv/lib/site.py": "", ".git-credentials": "x", "id_rsa": "key",
        "dist/old.whl": "", "src.egg-info/PKG-INFO": "",
    })
    assert sdist_files(load(root)) == ["p/__init__.py", "p/data/.gitignore", "p/data/keep.json", "pyproject.toml"]
