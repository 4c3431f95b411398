"""`shipyard new`: layouts, licenses, scripts, author from git; the result builds and installs."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from shipyard.scaffold import license_texts
from shipyard.scaffold.common import Author
from shipyard.scaffold.new import plan_new
from shipyard_core.build import build
from tests.conftest import run

#: a phrase from each full text (not just a header)
PHRASES = {
    "MIT": "Permission is hereby granted, free of charge",
    "Apache-2.0": "END OF TERMS AND CONDITIONS",
    "BSD-2-Clause": "Redistributions in binary form must reproduce",
    "BSD-3-Clause": "Neither the name of the copyright holder",
    "GPL-3.0-or-later": "END OF TERMS AND CONDITIONS",
    "LGPL-3.0-or-later": "GNU LESSER GENERAL PUBLIC LICENSE",
    "MPL-2.0": "Exhibit B - \"Incompatible With Secondary Licenses\" Notice",
    "ISC": "Permission to use, copy, modify, and/or distribute this software",
    "Unlicense": "This is free and unencumbered software released into the public domain",
}
AUTHOR = Author("Ada Lovelace", "ada@example.org")


@pytest.mark.parametrize("spdx", sorted(license_texts.BUNDLED))
def test_every_bundled_license_is_its_full_text(spdx, tmp_path):
    plan = plan_new("demo", tmp_path / "demo", license=spdx.lower(), author=AUTHOR)
    text = plan.writes["LICENSE"]
    assert PHRASES[spdx] in text and len(text) > 400 and "{year}" not in text and "{holder}" not in text
    if "{holder}" in (Path(license_texts.__file__).parent / "licenses" / f"{spdx}.txt").read_text():
        assert "Ada Lovelace" in text
    if spdx == "LGPL-3.0-or-later":
        assert "GNU GENERAL PUBLIC LICENSE" in plan.writes["COPYING"]
    table = tomllib.loads(plan.writes["pyproject.toml"])["project"]
    assert table["license"] == spdx and "LICENSE" in table["license-files"]


def test_unknown_license_is_refused(tmp_path, shipyard):
    result = shipyard("new", "demo", "--license", "WTFPL-9", cwd=tmp_path, check=False)
    assert result.returncode == 1 and "no license text bundled for 'WTFPL-9'" in result.stderr
    assert not (tmp_path / "demo").exists()


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["flat", "src"])
def test_new_project_builds_installs_and_runs(layout, tmp_path, make_venv, shipyard):
    args = ["new", "hello-world", "--script", "--description", "Says hello."] + (["--src"] if layout == "src" else [])
    shipyard(*args, cwd=tmp_path)
    root = tmp_path / "hello-world"
    package = root / ("src/hello_world" if layout == "src" else "hello_world")
    assert (package / "__init__.py").is_file() and (package / "cli.py").is_file()
    table = tomllib.loads((root / "pyproject.toml").read_text())
    assert table["project"]["scripts"] == {"hello-world": "hello_world.cli:main"}
    assert table["project"]["description"] == "Says hello."
    wheel = build(root, tmp_path / "dist").wheel
    venv = make_venv()
    venv.pip("install", "--no-index", wheel)
    assert run(venv.bin("hello-world"), "shipyard").stdout == "Hello, shipyard!\n"
    assert venv.run("-m", "hello_world", "you").stdout == "Hello, you!\n"


def test_author_from_git_config(tmp_path, shipyard):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("GIT_CONFIG_GLOBAL", None)
    run("git", "config", "--global", "user.name", "Grace Hopper", env=env)
    run("git", "config", "--global", "user.email", "grace@example.org", env=env)
    shipyard("new", "demo", cwd=tmp_path, env=env)
    table = tomllib.loads((tmp_path / "demo" / "pyproject.toml").read_text())
    assert table["project"]["authors"] == [{"name": "Grace Hopper", "email": "grace@example.org"}]
    assert "Copyright (c) " in (tmp_path / "demo" / "LICENSE").read_text()
    assert "Grace Hopper" in (tmp_path / "demo" / "LICENSE").read_text()


def test_dry_run_writes_nothing_and_existing_files_are_kept(tmp_path, shipyard):
    dry = shipyard("new", "demo", "--dry-run", cwd=tmp_path)
    assert "would write  pyproject.toml" in dry.stdout and not (tmp_path / "demo").exists()
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "README.md").write_text("mine\n")
    refused = shipyard("new", "demo", cwd=tmp_path, check=False)
    assert refused.returncode == 1 and "would overwrite README.md" in refused.stderr
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["README.md"]
    shipyard("new", "demo", "--force", cwd=tmp_path)
    assert (tmp_path / "demo" / "README.md").read_text().startswith("# demo")


def test_bad_name_is_refused(tmp_path, shipyard):
    result = shipyard("new", "-bad-", cwd=tmp_path, check=False)
    assert result.returncode != 0
    result = shipyard("new", "9lives", cwd=tmp_path, check=False)
    assert result.returncode == 1 and "cannot import" in result.stderr


def test_new_inside_a_git_checkout_stages_its_files(tmp_path, shipyard):
    run("git", "init", "-q", cwd=tmp_path)
    shipyard("new", "inrepo", "--src", cwd=tmp_path)
    status = run("git", "status", "--porcelain", cwd=tmp_path).stdout
    assert "A  inrepo/src/inrepo/__init__.py" in status and "A  inrepo/pyproject.toml" in status
    assert build(tmp_path / "inrepo", tmp_path / "dist").wheel.name == "inrepo-0.1.0-py3-none-any.whl"
