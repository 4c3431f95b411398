"""Bad input gives one clear error, exit status 1, and nothing written."""

from __future__ import annotations

import pytest

from tests.freeze.conftest import shipyard_freeze


def fails(tmp_path, *args: str) -> str:
    out = tmp_path / "out"
    result = shipyard_freeze(*args, "-o", out, check=False, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert not out.exists()
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert lines, result.stderr
    return result.stderr[result.stderr.index("error: "):]


def test_syntax_error(tmp_path):
    (tmp_path / "app.py").write_text("print('ok')\ndef broken(:\n")
    assert "app.py: syntax error (line 2" in fails(tmp_path, "app.py")


def test_import_that_is_not_installed(tmp_path):
    (tmp_path / "app.py").write_text("import shipyard_not_installed_anywhere\n")
    message = fails(tmp_path, "app.py")
    assert "imports 'shipyard_not_installed_anywhere', which is not installed" in message


def test_optional_import_that_is_missing_is_fine(tmp_path, frozen):
    (tmp_path / "app.py").write_text("try:\n    import shipyard_nope\nexcept ImportError:\n    pass\n")
    result = shipyard_freeze(tmp_path / "app.py", "-o", tmp_path / "out", "--json")
    assert '"mode": "onedir"' in result.stdout


@pytest.mark.slow
def test_dependency_that_cannot_be_resolved(tmp_path):
    (tmp_path / "app.py").write_text(
        "# /// script\n# dependencies = ['shipyard-freeze-no-such-dist-zz9>=1']\n# ///\nprint(1)\n")
    assert "cannot install the script's dependencies" in fails(tmp_path, "app.py")


def test_missing_module(tmp_path):
    assert "no module named 'no_such_mod_zz'" in fails(tmp_path, "-m", "no_such_mod_zz")


def test_missing_console_script(tmp_path):
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "pyproject.toml").write_text(
        "[project]\nname = 'proj'\nversion = '1'\n[project.scripts]\ntool = 'proj.cli:main'\n")
    assert "no console script named 'other' (the project has: tool)" in fails(tmp_path, "proj", "--entry", "other")


def test_output_that_is_not_ours_is_left_alone(tmp_path):
    (tmp_path / "app.py").write_text("print(1)\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "app").write_text("precious")
    result = shipyard_freeze("app.py", "-o", "out", "--onefile", check=False, cwd=tmp_path)
    assert result.returncode == 1 and "exists and is not an app made by shipyard freeze" in result.stderr
    assert (tmp_path / "out" / "app").read_text() == "precious"


def test_bad_add_data(tmp_path):
    (tmp_path / "app.py").write_text("print(1)\n")
    assert "missing.txt: --add-data: no such file or folder" in fails(tmp_path, "app.py", "--add-data", "missing.txt:.")
