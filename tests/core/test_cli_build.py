"""`shipyard build` as a user runs it, and the fast paths of `shipyard --help/--version`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))
from conftest import run  # noqa: E402


def test_build_prints_what_it_made(sample: Path, shipyard) -> None:
    result = shipyard("build", sample, cwd=sample)
    assert result.stdout.splitlines() == [
        "Built dist/sample_project-1.2.3.tar.gz (" + result.stdout.split("(")[1].split(")")[0] + ")",
        "Built dist/sample_project-1.2.3-py3-none-any.whl (" + result.stdout.split("(")[2].split(")")[0] + ")",
    ]
    assert "with shipyard_core.backend in" in result.stderr
    assert sorted(p.name for p in (sample / "dist").iterdir()) == [
        "sample_project-1.2.3-py3-none-any.whl", "sample_project-1.2.3.tar.gz"]


def test_build_json_and_only_wheel(sample: Path, tmp_path: Path, shipyard) -> None:
    result = shipyard("build", sample, "--wheel", "-o", tmp_path / "out", "--json")
    data = json.loads(result.stdout)
    assert data["sdist"] is None and data["wheel"] == str(tmp_path / "out/sample_project-1.2.3-py3-none-any.whl")
    assert data["backend"] == "shipyard_core.backend"


def test_bad_project_exits_1_with_one_clear_line(tmp_path: Path, write_project, shipyard) -> None:
    root = write_project(tmp_path / "p", '[project]\nname = "ok"\nversion = "1.0"\nreadme = "MISSING.md"', {"ok.py": ""})
    result = shipyard("build", root, check=False)
    assert result.returncode == 1
    assert result.stderr == "error: pyproject.toml: [project].readme: file 'MISSING.md' does not exist\n"
    assert not (root / "dist").exists() or list((root / "dist").iterdir()) == []


def test_usage_error_exits_2(shipyard) -> None:
    result = shipyard("build", "--no-such-option", check=False)
    assert result.returncode == 2 and "No such option" in result.stderr


@pytest.mark.slow
def test_foreign_backend_builds_isolated_with_a_cached_environment(tmp_path: Path, write_project, shipyard) -> None:
    root = write_project(tmp_path / "hatch", """
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"

        [project]
        name = "hatched"
        version = "0.3"
        requires-python = ">=3.9"
        """, {"hatched/__init__.py": "X = 1\n"}, backend=False)
    env = {**os.environ, "SHIPYARD_CACHE_DIR": str(tmp_path / "cache")}
    first = shipyard("build", root, "--json", env=env)
    data = json.loads(first.stdout)
    assert data["backend"] == "hatchling.build"
    assert Path(data["wheel"]).name == "hatched-0.3-py3-none-any.whl" and Path(data["sdist"]).is_file()
    envs = [p for p in (tmp_path / "cache/build-envs").iterdir() if p.is_dir()]
    assert len(envs) == 1 and (envs[0] / ".shipyard-complete").read_text() == "hatchling\n"
    marker_time = (envs[0] / ".shipyard-complete").stat().st_mtime
    shipyard("build", root, env=env)
    assert (envs[0] / ".shipyard-complete").stat().st_mtime == marker_time  # reused, not rebuilt
    assert shipyard("build", "--cache-dir", env=env).stdout.strip() == str(tmp_path / "cache/build-envs")


@pytest.mark.parametrize("args", [["--help"], ["--version"], []])
def test_help_and_version_import_no_click(args: list[str]) -> None:
    """The fast path: a bare `shipyard`, --help and --version never import click or a command."""
    result = run(sys.executable, "-X", "importtime", "-m", "shipyard", *args)
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "click" not in imported and "shipyard.cli._app" not in imported
    assert "shipyard_core" not in imported
    assert result.stdout.startswith("shipyard 0.1.0" if args == ["--version"] else "Usage: shipyard")


def test_command_help_lists_examples(shipyard) -> None:
    assert "Examples:" in shipyard("build", "--help").stdout


def test_plain_build_does_not_wait_for_click(sample: Path, tmp_path: Path) -> None:
    result = run(sys.executable, "-X", "importtime", "-m", "shipyard", "build", sample, "-o", tmp_path / "out")
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "click" not in imported and "shipyard_core.legacy" not in imported
    assert "packaging.requirements" in imported  # the sample has dependencies to validate
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "sample_project-1.2.3-py3-none-any.whl", "sample_project-1.2.3.tar.gz"]
