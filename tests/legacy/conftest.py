"""Fixtures for legacy-project tests: a Python that cannot import distutils or setuptools,
and one shared virtual environment per test session (worker) to install wheels into."""

from __future__ import annotations

import os
import shutil
import sys
import venv as venv_module
from pathlib import Path

import pytest

from tests.conftest import Venv, run

CORPUS = Path(__file__).parent / "corpus"
BLOCKER = '''
import sys

BLOCKED = ("distutils", "setuptools", "_distutils_hack", "pkg_resources")


class BlockLegacyBuildTools:
    """Any import of distutils or setuptools fails: shipyard must build without them."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked in this test: shipyard must not import it")
        return None


for _name in [m for m in sys.modules if m.split(".")[0] in BLOCKED]:
    del sys.modules[_name]
sys.meta_path.insert(0, BlockLegacyBuildTools())
'''


@pytest.fixture(scope="session")
def no_setuptools_env(tmp_path_factory) -> dict[str, str]:
    """Environment variables under which Python cannot import distutils nor setuptools."""
    folder = tmp_path_factory.mktemp("block-distutils")
    (folder / "sitecustomize.py").write_text(BLOCKER)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")])),
               SETUPTOOLS_USE_DISTUTILS="stdlib")
    probe = run(sys.executable, "-c", "import distutils.core", check=False, env=env)
    assert probe.returncode != 0 and "blocked" in probe.stderr, probe.stderr
    return env


@pytest.fixture(scope="session")
def shared_venv(tmp_path_factory) -> Venv:
    """One venv (no pip, no setuptools) per worker; tests install with --force-reinstall."""
    path = tmp_path_factory.mktemp("legacy-venv") / ".venv"
    venv_module.create(path, with_pip=False, symlinks=True)
    return Venv(path)


def build_without_setuptools(project: Path, out: Path, env: dict[str, str]) -> dict[str, str]:
    """Build sdist + wheel of `project` with shipyard-core in a Python where distutils and
    setuptools are unimportable; returns {"sdist": path, "wheel": path, "notes": ...}."""
    code = ("import json, sys; from shipyard_core.build import build; "
            "r = build(sys.argv[1], sys.argv[2]); "
            "print(json.dumps({'sdist': str(r.sdist), 'wheel': str(r.wheel), 'notes': r.project.notes}))")
    result = run(sys.executable, "-c", code, project, out, env=env)
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def copy_project(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("expect.json", "__pycache__", "dist"))
    return target
