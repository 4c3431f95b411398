"""`shipyard init`: the seed's loose modules become a package that builds, installs and imports."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from shipyard.scaffold.imports import rewrite_imports
from shipyard_core.build import build
from tests.conftest import EXAMPLES, run

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]


def loose_modules(root: Path) -> Path:
    """The seed's first step, before it: sololearn.py and sololearn2.py side by side, plus a
    module and a test that import them."""
    root.mkdir(parents=True)
    for name in ("sololearn.py", "sololearn2.py"):
        (root / name).write_text((EXAMPLES / "sololearn" / "sololearn" / name).read_text())
    (root / "report.py").write_text(
        "import sololearn\nfrom sololearn2 import average\n\n\n"
        "def report(names, scores):\n    return [sololearn.greet(n) for n in names], average(scores)\n")
    (root / "test_report.py").write_text("import report\n\n\ndef test():\n    assert report.report([], [1])[1] == 1\n")
    return root


def test_rewrite_imports_between_moved_modules():
    text = ("import os, util\nimport util as u  # short\nfrom util import helper\nfrom json import dumps\n\n"
            "def f():\n    from util import (\n        a,\n        b,\n    )\n    import other\n")
    assert rewrite_imports(text, "pkg", {"util"}) == (
        "import os\nfrom pkg import util\nfrom pkg import util as u  # short\nfrom pkg.util import helper\n"
        "from json import dumps\n\ndef f():\n    from pkg.util import a, b\n    import other\n")
    assert rewrite_imports("import json\n", "pkg", {"util"}) is None


@pytest.mark.slow
def test_init_in_a_git_checkout_builds_installs_imports(tmp_path, make_venv, shipyard):
    root = loose_modules(tmp_path / "sololearn")
    run("git", "init", "-q", cwd=root)
    run("git", "add", ".", cwd=root)
    run(*GIT, "commit", "-qm", "loose modules", cwd=root)

    dry = shipyard("init", root, "--dry-run")
    assert "would move   sololearn.py -> sololearn/sololearn.py (git mv)" in dry.stdout
    assert run("git", "status", "--porcelain", cwd=root).stdout == ""

    shipyard("init", root, "--license", "BSD-3-Clause")
    status = run("git", "status", "--porcelain", cwd=root).stdout
    assert "R  sololearn.py -> sololearn/sololearn.py" in status and "RM report.py -> sololearn/report.py" in status
    assert (root / "test_report.py").read_text().startswith("from sololearn import report\n")
    assert (root / "sololearn" / "report.py").read_text().startswith(
        "from sololearn import sololearn\nfrom sololearn.sololearn2 import average\n")
    table = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert table["name"] == "sololearn" and table["license"] == "BSD-3-Clause" and table["readme"] == "README.md"
    assert "Neither the name of the copyright holder" in (root / "LICENSE").read_text()

    wheel = build(root, tmp_path / "dist").wheel
    venv = make_venv()
    venv.pip("install", "--no-index", wheel)
    out = venv.run("-c", "from sololearn.report import report; print(report(['init'], [2, 4]))").stdout
    assert out == "(['Hello, init!'], 3.0)\n"


def test_init_keeps_existing_files_and_never_overwrites(tmp_path, shipyard):
    root = loose_modules(tmp_path / "proj")
    (root / "README.rst").write_text("Mine\n====\n")
    (root / "LICENSE").write_text("MIT License\n\nCopyright (c) me\n")
    result = shipyard("init", root, "--name", "sololearn")
    assert "keep   README.rst" in result.stdout and "keep   LICENSE" in result.stdout
    assert (root / "README.rst").read_text() == "Mine\n====\n"
    table = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert table["readme"] == "README.rst" and table["license"] == "MIT" and table["license-files"] == ["LICENSE"]
    assert (root / "sololearn" / "sololearn.py").is_file() and not (root / "sololearn.py").exists()


def test_init_refuses_to_overwrite_without_force(tmp_path, shipyard):
    root = loose_modules(tmp_path / "proj")
    (root / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    result = shipyard("init", root, "--name", "sololearn", check=False)
    assert result.returncode == 1 and "would overwrite pyproject.toml" in result.stderr
    assert {p.name: p.read_bytes() for p in root.iterdir()} == before
    shipyard("init", root, "--name", "sololearn", "--force")
    assert "[project]" in (root / "pyproject.toml").read_text()


def test_init_sends_legacy_projects_to_migrate(tmp_path, shipyard):
    project = tmp_path / "Sololearn"
    project.mkdir()
    (project / "setup.py").write_text((EXAMPLES / "sololearn" / "setup.py").read_text())
    result = shipyard("init", project, check=False)
    assert result.returncode == 1 and "run 'shipyard migrate'" in result.stderr
