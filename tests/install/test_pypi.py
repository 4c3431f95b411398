"""Against the real PyPI: shipyard picks what pip picks, and the result imports and runs."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest
from packaging.utils import canonicalize_name

PYPI = "https://pypi.org/simple/"
REQUIREMENTS = ["rich", "click>=8", "httpx[http2]"]


def _pypi_reachable() -> bool:
    try:
        return httpx.head(PYPI + "rich/", timeout=10, follow_redirects=True).status_code < 500
    except httpx.HTTPError:
        return False


def _canonical(versions: dict[str, str]) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in versions.items()}


def pip_picks(venv, requirements: list[str]) -> dict[str, str]:
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv.python), "install", "--dry-run",
                             "--quiet", "--report", "-", "--ignore-installed", "--index-url", PYPI,
                             "--only-binary", ":all:", *requirements], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    return {item["metadata"]["name"].lower(): item["metadata"]["version"] for item in report["install"]}


@pytest.mark.slow
def test_same_set_as_pip_and_it_runs(make_venv, shipyard_install, installed):
    if not _pypi_reachable():
        pytest.skip("PyPI is not reachable")
    venv = make_venv()
    expected = pip_picks(venv, REQUIREMENTS)
    shipyard_install(*REQUIREMENTS, "--index-url", PYPI, "--python", venv.path)
    assert _canonical(installed(venv)) == _canonical(expected)
    assert len(expected) >= 10
    code = "import rich, httpx, h2; from rich.text import Text; print(Text('ok').plain)"
    assert venv.run("-c", code).stdout.strip() == "ok"
    assert "usage" in venv.run(venv.bin("pygmentize"), "-h").stdout.lower()
    # everything is satisfied now: a second run changes nothing
    again = shipyard_install(*REQUIREMENTS, "--index-url", PYPI, "--python", venv.path, "--json")
    assert json.loads(again.stdout)["install"] == []
