"""Check fixtures: a good project built once, the broken corpus made from it, real PyPI files."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import pytest
from packaging.utils import parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

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
    """The REAL projects' sdists and pure wheels, as PyPI serves them (found through its
    PEP 691 JSON simple API; nothing is built or installed to get them)."""
    out = tmp_path_factory.mktemp("pypi")
    found: dict[str, list[Path]] = {"sdist": [], "wheel": []}
    try:
        for requirement in REAL:
            name, version = requirement.split("==")
            request = urllib.request.Request(f"https://pypi.org/simple/{name}/",
                                             headers={"Accept": "application/vnd.pypi.simple.v1+json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                files = json.load(response)["files"]
            for file in files:
                filename = file["filename"]
                if filename.endswith(".tar.gz") and parse_sdist_filename(filename)[1] == Version(version):
                    kind = "sdist"
                elif filename.endswith("-none-any.whl") and parse_wheel_filename(filename)[1] == Version(version):
                    kind = "wheel"
                else:
                    continue
                target = out / kind / filename
                target.parent.mkdir(exist_ok=True)
                with urllib.request.urlopen(file["url"], timeout=60) as response:
                    target.write_bytes(response.read())
                found[kind].append(target)
    except OSError as exc:
        pytest.skip(f"PyPI is not reachable: {exc}")
    return {kind: sorted(paths) for kind, paths in found.items()}
