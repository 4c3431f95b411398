"""Check fixtures: a good project built once, the broken corpus made from it, real PyPI files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from check_corpus import build_corpus, build_good  # noqa: E402

#: Good distributions from PyPI: flit_core, hatchling and setuptools projects.
REAL = ["idna==3.10", "packaging==24.2", "tomli==2.2.1", "colorama==0.4.6", "six==1.17.0"]


@pytest.fixture(scope="session")
def good(tmp_path_factory) -> tuple[Path, Path]:
    return build_good(tmp_path_factory.mktemp("check-good"))


@pytest.fixture(scope="session")
def corpus(good, tmp_path_factory):
    return build_corpus(*good, tmp_path_factory.mktemp("check-corpus"))


@pytest.fixture(scope="session")
def real_dists(tmp_path_factory) -> dict[str, list[Path]]:
    """The REAL projects' sdists and wheels, by `pip download --no-deps` from PyPI."""
    out = tmp_path_factory.mktemp("pypi")
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull}
    common = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
              "--index-url", "https://pypi.org/simple/", "--no-build-isolation"]
    for kind, flag in (("sdist", "--no-binary"), ("wheel", "--only-binary")):
        result = subprocess.run([*common, flag, ":all:", "-d", str(out / kind), *REAL], env=env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"PyPI is not reachable: {result.stderr[-500:]}")
    return {kind: sorted((out / kind).iterdir()) for kind in ("sdist", "wheel")}
