"""`shipyard migrate`: the written file, the proof, and what is kept or removed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from shipyard.cli.migrate import command
from shipyard.migrate import migrate, prove
from shipyard.scaffold.toml import dumps

SETUP_PY = "from setuptools import setup\nsetup(name='mig', version='1.0', py_modules=['mig'], license='MIT')\n"


def legacy(root: Path, **extra: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mig.py").write_text("X = 1\n")
    (root / "setup.py").write_text(SETUP_PY)
    for name, text in extra.items():
        (root / name.replace("_", ".")).write_text(text)
    return root


def test_a_different_wheel_is_reported(tmp_path):
    root = legacy(tmp_path / "p")
    text = migrate(root, dry_run=True).text
    assert prove(root, text) == []
    differences = prove(root, text.replace('version = "1.0"', 'version = "1.1"'))
    assert "wheel name: mig-1.0-py3-none-any.whl before, mig-1.1-py3-none-any.whl after" in differences
    assert "METADATA Version: '1.0' only in the legacy build" in differences


def test_cli_exits_1_and_writes_nothing_when_the_wheels_differ(tmp_path, monkeypatch):
    root = legacy(tmp_path / "p")
    monkeypatch.setattr("shipyard.migrate.prove", lambda *a, **k: ["contents differ: mig.py"])
    result = CliRunner().invoke(command, [str(root)], standalone_mode=False)
    assert result.return_value == 1
    assert "contents differ: mig.py" in result.output
    assert not (root / "pyproject.toml").exists()


def test_existing_pyproject_tables_are_kept(tmp_path):
    root = legacy(tmp_path / "p", pyproject_toml='[build-system]\nrequires = ["setuptools"]\n'
                                                 'build-backend = "setuptools.build_meta"\n\n'
                                                 '[tool.black]\nline-length = 100  # wide\n')
    migrate(root)
    data = tomllib.loads((root / "pyproject.toml").read_text())
    assert data["build-system"]["build-backend"] == "shipyard_core.backend"
    assert data["tool"]["black"] == {"line-length": 100}
    assert "# wide" in (root / "pyproject.toml").read_text()


def test_remove_setup_py_keeps_other_tools_settings(tmp_path):
    root = legacy(tmp_path / "p", setup_cfg="[metadata]\ndescription = d\n\n[flake8]\nmax-line-length = 100\n")
    result = migrate(root, remove_setup_py=True)
    assert result.removed == ["setup.py", "setup.cfg [metadata] and [options]"]
    assert not (root / "setup.py").exists()
    assert (root / "setup.cfg").read_text() == "[flake8]\nmax-line-length = 100\n"
    assert tomllib.loads((root / "pyproject.toml").read_text())["project"]["description"] == "d"


def test_toml_writer_round_trips_awkward_values():
    document = {"project": {
        "name": "x", "description": 'quotes " and \\ backslash and ünïcode',
        "readme": {"text": 'line one\n"""triple""" \\ \t tab\n' * 4 + 'ends with quote"', "content-type": "text/plain"},
        "authors": [{"name": "A B", "email": "a@b.c"}], "urls": {"Home page": "https://e.org"},
        "entry-points": {"my.group": {"x": "m:f"}},
    }}
    assert tomllib.loads(dumps(document)) == document
