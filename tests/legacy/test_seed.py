"""The seed's own project, examples/sololearn: built by `shipyard build` without setuptools
or distutils, installed with pip, imported; then migrated."""

from __future__ import annotations

import shutil
import sys
import tomllib
import zipfile

import pytest

from tests.conftest import EXAMPLES, run

SEED_SETUP_PY = """from distutils.core import setup

setup(
\tname = 'Sololearn',
\tversion = '0.1dev',
\tpackages = ['sololearn',],
\tlicense = 'MIT',
\tlong_description = open('README.txt').read(),
)
"""


def test_example_is_the_seeds_project():
    root = EXAMPLES / "sololearn"
    assert (root / "setup.py").read_text() == SEED_SETUP_PY
    for name in ("LICENSE.txt", "README.txt", "sololearn/__init__.py", "sololearn/sololearn.py",
                 "sololearn/sololearn2.py"):
        assert (root / name).is_file(), name


@pytest.mark.slow
def test_shipyard_build_installs_and_imports(tmp_path, make_venv, no_setuptools_env):
    project = tmp_path / "Sololearn"
    shutil.copytree(EXAMPLES / "sololearn", project)
    result = run(sys.executable, "-m", "shipyard", "build", project, env=no_setuptools_env)
    assert "sololearn-0.1.dev0.tar.gz" in result.stdout and "sololearn-0.1.dev0-py3-none-any.whl" in result.stdout
    assert "'0.1dev' is normalized to '0.1.dev0'" in result.stderr
    assert "content type text/plain" in result.stderr
    wheel = project / "dist" / "sololearn-0.1.dev0-py3-none-any.whl"
    metadata = zipfile.ZipFile(wheel).read("sololearn-0.1.dev0.dist-info/METADATA").decode()
    assert "Name: Sololearn\n" in metadata and "License-Expression: MIT\n" in metadata
    assert "Description-Content-Type: text/plain\n" in metadata
    assert (project / "dist" / "sololearn-0.1.dev0.tar.gz").is_file()

    venv = make_venv()
    venv.pip("install", "--no-index", wheel)
    probe = venv.run("-c", "import sys, sololearn; from sololearn import sololearn as s, sololearn2 as s2; "
                           "print(s.greet('pip'), s2.average([1, 2])); "
                           "print('distutils' in sys.modules, 'setuptools' in sys.modules)")
    assert probe.stdout.split("\n")[:2] == ["Hello, pip! 1.5", "False False"]


def test_migrate_the_seed(tmp_path, shipyard):
    project = tmp_path / "Sololearn"
    shutil.copytree(EXAMPLES / "sololearn", project)
    dry = shipyard("migrate", project, "--dry-run")
    assert not (project / "pyproject.toml").exists()
    table = tomllib.loads(dry.stdout)
    assert table["project"] == {"name": "Sololearn", "version": "0.1.dev0", "readme": "README.txt", "license": "MIT"}
    assert table["build-system"]["build-backend"] == "shipyard_core.backend"
    done = shipyard("migrate", project, "--remove-setup-py")
    assert "same wheel files and metadata" in done.stdout
    assert tomllib.loads((project / "pyproject.toml").read_text()) == table
    assert not (project / "setup.py").exists()
    again = shipyard("migrate", project, check=False)
    assert again.returncode == 1 and "already has a [project] table" in again.stderr
