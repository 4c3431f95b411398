"""The legacy corpus: each project is built without setuptools, installed with pip,
imported, its scripts run, and `migrate` round-trips it to the same wheel."""

from __future__ import annotations

import email.parser
import json
import os
import zipfile
from pathlib import Path

import pytest

from shipyard.migrate import migrate
from shipyard_core.project import read_pyproject
from tests.conftest import run
from tests.legacy.conftest import CORPUS, build_without_setuptools, copy_project

PROJECTS = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.json").is_file())


def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.BytesParser().parsebytes(archive.read(name))


def test_corpus_is_large_enough():
    assert len(PROJECTS) >= 15


@pytest.mark.slow
@pytest.mark.parametrize("name", PROJECTS)
def test_build_install_run_migrate(name, tmp_path, no_setuptools_env, shared_venv):
    expect = json.loads((CORPUS / name / "expect.json").read_text())
    project = copy_project(CORPUS / name, tmp_path)
    built = build_without_setuptools(project, tmp_path / "dist", no_setuptools_env)
    wheel = Path(built["wheel"])
    assert Path(built["sdist"]).is_file()

    metadata = _metadata(wheel)
    assert metadata["Name"] == expect["name"]
    assert metadata["Version"] == expect["version"]
    for field, wanted in expect.get("metadata", {}).items():
        got = metadata.get_all(field) if isinstance(wanted, list) else metadata[field]
        assert got == wanted, f"{field}: {got!r}"
    for keyword in expect.get("notes", []):
        assert any(keyword in note for note in built["notes"]), (keyword, built["notes"])
    names = zipfile.ZipFile(wheel).namelist()
    for path in expect.get("wheel_has", []):
        assert path in names
    for path in expect.get("wheel_lacks", []):
        assert path not in names

    shared_venv.pip("install", "--no-deps", "--force-reinstall", "--no-index", wheel)
    env = dict(os.environ, PATH=f"{shared_venv.path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    for check in expect.get("checks", []):
        shared_venv.run("-c", check, cwd=tmp_path)
    for script, output in expect.get("scripts", []):
        assert output in run(shared_venv.bin(script), cwd=tmp_path, env=env).stdout

    migration = migrate(project)
    assert migration.differences == [] and migration.written
    assert "project" in read_pyproject(project / "pyproject.toml")
    rebuilt = build_without_setuptools(project, tmp_path / "dist-migrated", no_setuptools_env)
    assert _files(Path(rebuilt["wheel"])) == _files(wheel)


def _files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {n: archive.read(n) for n in archive.namelist()}
