"""On a Python without distutils (3.12+), computed setup.py files run with the stand-ins."""

from __future__ import annotations

import glob
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.legacy.conftest import CORPUS, copy_project

NEWEST = (sorted(glob.glob("/root/.pyenv/versions/3.1[2-9]*/bin/python3"), key=lambda p: [
    int(x) for x in Path(p).parent.parent.name.split(".")[:2]]) or [None])[-1]
#: a setup.py that must be run (computed keywords), one that imports its own module, a setup.cfg
PROJECTS = ["c14_computed_kwargs", "c17_gui_scripts_and_modules", "c07_cfg_stub_setup_py"]


@pytest.mark.slow
@pytest.mark.skipif(NEWEST is None, reason="no Python 3.12+ on this machine")
def test_runner_on_a_python_without_distutils(tmp_path):
    assert subprocess.run([NEWEST, "-c", "import distutils"], capture_output=True).returncode != 0
    env_dir = tmp_path / "env"
    subprocess.run([NEWEST, "-m", "venv", "--without-pip", env_dir], check=True)
    python = env_dir / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "packaging")
    code = ("import json, sys; from shipyard_core.build import build; "
            "print(json.dumps([build(p, p + '/dist').wheel.name for p in sys.argv[1:]] + "
            "[m for m in sys.modules if m.split('.')[0] in ('distutils', 'setuptools')]))")
    projects = [str(copy_project(CORPUS / name, tmp_path)) for name in PROJECTS]
    out = run(python, "-c", code, *projects, env={"PYTHONPATH": str(REPO / "core" / "src")}).stdout
    assert json.loads(out) == ["c14_computed-4.0.0-py3-none-any.whl", "c17_app-7.7-py3-none-any.whl",
                               "c07_cfg-5.0.0-py3-none-any.whl"]
