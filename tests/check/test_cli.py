"""`shipyard check` on the command line: table, JSON, exit codes, defaults."""

from __future__ import annotations

import json
import shutil

import pytest


@pytest.fixture
def broken(corpus):
    return {case.name: case for case in corpus}


def test_good_files_pass_with_a_table(shipyard, good):
    result = shipyard("check", *good)
    assert "PASSED: 2 file(s), 0 error(s), 0 warning(s)" in result.stdout
    assert result.stdout.count("ok ") == 2


def test_errors_exit_1_with_their_code_and_line(shipyard, broken):
    case = broken["wheel: README is broken RST"]
    result = shipyard("check", case.path, check=False)
    assert result.returncode == 1
    assert "readme-render" in result.stdout and "line 6" in result.stdout and "FAILED" in result.stdout


def test_warnings_fail_only_with_strict(shipyard, broken):
    case = broken["wheel: bytecode inside"]
    assert shipyard("check", case.path, check=False).returncode == 0
    strict = shipyard("check", "--strict", case.path, check=False)
    assert strict.returncode == 1 and "warnings fail with --strict" in strict.stdout


def test_json(shipyard, broken, good):
    case = broken["wheel: unknown classifier"]
    result = shipyard("check", "--json", case.path, good[1], check=False)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 1 and data["passed"] is False and data["files"] == 2
    first = data["results"][0]
    assert first["kind"] == "wheel" and first["name"] == "corpus-demo" and first["version"] == "1.0"
    assert first["findings"][0]["code"] == "classifier-unknown"
    assert data["results"][1]["findings"] == []


def test_default_is_dist_folder(shipyard, good, tmp_path):
    (tmp_path / "dist").mkdir()
    for path in good:
        shutil.copy(path, tmp_path / "dist")
    (tmp_path / "dist" / "notes.txt").write_text("not a distribution, ignored in a folder")
    result = shipyard("check", "--json", "--no-rebuild", cwd=tmp_path)
    assert json.loads(result.stdout)["files"] == 2


def test_missing_dist_folder_is_a_clear_error(shipyard, tmp_path):
    result = shipyard("check", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert "error: dist: no such file or folder; build them with 'shipyard build'" in result.stderr


def test_not_a_distribution_given_explicitly(shipyard, tmp_path):
    path = tmp_path / "README.txt"
    path.write_text("hello")
    result = shipyard("check", "--json", path, check=False)
    assert result.returncode == 1
    assert json.loads(result.stdout)["results"][0]["findings"][0]["code"] == "not-a-distribution"


def test_help_has_examples(shipyard):
    assert "Examples:" in shipyard("check", "--help").stdout
    assert "Examples:" in shipyard("publish", "--help").stdout
