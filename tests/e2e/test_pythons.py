"""The seed's distutils project builds with shipyard-core on Pythons that have no distutils."""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))
from conftest import EXAMPLES, REPO, run  # noqa: E402

pytestmark = pytest.mark.slow


def newer_pythons() -> list[str]:
    """Interpreters 3.12+ on this machine (pyenv's or on PATH), one per minor version."""
    candidates = sorted(glob.glob("/root/.pyenv/versions/3.1[2-9]*/bin/python3")) + [
        p for p in (shutil.which(f"python3.{minor}") for minor in range(12, 20)) if p]
    found: dict[str, str] = {}
    for path in candidates:
        result = subprocess.run([path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                capture_output=True, text=True)
        if result.returncode == 0:
            found.setdefault(result.stdout.strip(), path)
    return [found[v] for v in sorted(found)]


PYTHONS = newer_pythons()


@pytest.mark.skipif(not PYTHONS, reason="no Python 3.12+ on this machine")
@pytest.mark.parametrize("python", PYTHONS, ids=lambda p: Path(p).parent.parent.name)
def test_sololearn_builds_and_installs_without_distutils(python: str, tmp_path: Path) -> None:
    assert subprocess.run([python, "-c", "import distutils"], capture_output=True).returncode != 0
    env_dir = tmp_path / "env"
    subprocess.run([python, "-m", "venv", "--clear", "--without-pip", env_dir], check=True)
    target = env_dir / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", target, "install", "--quiet", "packaging")
    project = shutil.copytree(EXAMPLES / "sololearn", tmp_path / "Sololearn")
    build = ("import sys; from shipyard_core.build import build; r = build(sys.argv[1], sys.argv[2]);"
             "print(r.sdist.name, r.wheel.name)")
    out = run(target, "-c", build, project, tmp_path / "dist", env={"PYTHONPATH": str(REPO / "core" / "src")}).stdout
    assert out.split() == ["sololearn-0.1.dev0.tar.gz", "sololearn-0.1.dev0-py3-none-any.whl"]
    run(sys.executable, "-m", "pip", "--python", target, "install", "--quiet", "--no-deps",
        tmp_path / "dist" / "sololearn-0.1.dev0-py3-none-any.whl")
    check = run(target, "-c", "from sololearn.sololearn import greet; print(greet('3.12+'))").stdout
    assert check == "Hello, 3.12+!\n"
