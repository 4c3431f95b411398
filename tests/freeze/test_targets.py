"""Targets and options: -m MODULE, project console scripts, --add-data, --name,
--include/--exclude-module, --optimize, and byte-identical rebuilds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.freeze.conftest import SAMPLES, shipyard_freeze

pytestmark = pytest.mark.slow


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_module_target_with_local_package(tmp_path):
    shipyard_freeze("-m", "modapp", "--name", "greeter", "-o", tmp_path, cwd=SAMPLES)
    out = subprocess.run([tmp_path / "greeter" / "greeter", "ann", "bo"], capture_output=True, text=True)
    assert out.stdout == "greet ann,bo __main__ True\n", out.stderr


def test_stdlib_module_target_onefile(tmp_path):
    shipyard_freeze("-m", "json.tool", "--onefile", "-o", tmp_path)
    out = subprocess.run([tmp_path / "tool", "--compact"], input='{"a": [1, 2]}', capture_output=True, text=True,
                         env={"SHIPYARD_APP_CACHE": str(tmp_path / "cache")})
    assert out.stdout == '{"a":[1,2]}\n', out.stderr


BACKENDS = {
    "flit_core": "requires = ['flit_core>=3.9']\nbuild-backend = 'flit_core.buildapi'",
    "shipyard_core": "requires = ['shipyard-core']\nbuild-backend = 'shipyard_core.backend'",  # not on any index
}


def make_project(tmp_path: Path, entry: str = "proj.cli:main", backend: str = "flit_core") -> Path:
    project = tmp_path / "proj"
    (project / "src" / "proj").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        f"[build-system]\n{BACKENDS[backend]}\n"
        "[project]\nname = 'proj'\nversion = '1.0'\ndescription = 'x'\n"
        f"[project.scripts]\nproj-tool = '{entry}'\n")
    (project / "src" / "proj" / "__init__.py").write_text("")
    (project / "src" / "proj" / "cli.py").write_text(
        "import sys\nfrom importlib.metadata import version\n\n"
        "def main():\n    print('proj', version('proj'), sys.argv[1:])\n    return 4\n")
    return project


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_project_console_script(tmp_path, backend):
    project = make_project(tmp_path, backend=backend)
    result = shipyard_freeze(project, "-o", tmp_path / "out", "--json")
    made = json.loads(result.stdout)
    assert made["kind"] == "entry" and made["distributions"] == ["proj==1.0"]
    out = subprocess.run([tmp_path / "out" / "proj-tool" / "proj-tool", "x"], capture_output=True, text=True)
    assert (out.returncode, out.stdout) == (4, "proj 1.0 ['x']\n"), out.stderr


def test_project_entry_point_to_a_missing_function(tmp_path):
    project = make_project(tmp_path, entry="proj.cli:nothere")
    result = shipyard_freeze(project, "-o", tmp_path / "out", check=False)
    assert result.returncode == 1
    assert "entry point 'proj-tool = proj.cli:nothere': 'proj.cli' defines no 'nothere'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_add_data_include_exclude_optimize(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "msg.txt").write_text("from data\n")
    (tmp_path / "app.py").write_text(
        "from pathlib import Path\nassert False, 'asserts are compiled out with -O'\n"
        "print((Path(__file__).parent / 'assets' / 'msg.txt').read_text(), end='')\n")
    shipyard_freeze("app.py", "--add-data", "assets:.", "--include-module", "xmlrpc", "--exclude-module", "csv",
                    "-O", "1", "--name", "dataapp", "-o", "out", cwd=tmp_path)
    folder = tmp_path / "out" / "dataapp"
    out = subprocess.run([folder / "dataapp"], capture_output=True, text=True)
    assert out.stdout == "from data\n", out.stderr
    stdlib = next((folder / "lib").glob("python3.*"))
    assert (stdlib / "xmlrpc" / "client.pyc").exists()
    assert not (stdlib / "csv.pyc").exists()
    assert (folder / "lib" / "app" / "__pycache__" / f"app.{sys.implementation.cache_tag}.opt-1.pyc").exists()


def test_rebuilds_are_byte_identical(tmp_path, frozen, monkeypatch):
    first_file, first_dir = frozen("hello.py", "onefile"), frozen("hello.py", "onedir").parent
    monkeypatch.setenv("SHIPYARD_CACHE_DIR", str(tmp_path / "fresh-cache"))  # nothing reused
    shipyard_freeze(SAMPLES / "hello.py", "--onefile", "-o", tmp_path / "a")
    shipyard_freeze(SAMPLES / "hello.py", "-o", tmp_path / "b")
    assert (tmp_path / "a" / "hello").read_bytes() == first_file.read_bytes()
    assert tree_bytes(tmp_path / "b" / "hello") == tree_bytes(first_dir)
