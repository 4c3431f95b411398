"""shipyard publish against shipyard's own index: tokens, then pip, and the same result as twine."""

from __future__ import annotations

import httpx
import pytest

from publish_servers import PASSWORD, USER, start_shipyard_index
from tests_publish_helpers import cli, tool

pytestmark = pytest.mark.slow

#: What the JSON API may differ in between two uploads of the same files to two indexes.
VOLATILE = {"upload_time", "upload_time_iso_8601", "url"}


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    base = tmp_path_factory.mktemp("shipyard-index")
    first = start_shipyard_index(base / "by-shipyard")
    try:
        second = start_shipyard_index(base / "by-twine")
    except Exception:
        first.stop()
        raise
    yield first, second
    first.stop()
    second.stop()


def _release(url: str, project: str) -> dict:
    data = httpx.get(f"{url}pypi/{project}/json", timeout=10).json()
    for file in data["urls"]:
        for key in VOLATILE:
            file.pop(key, None)
    for key in ("package_url", "project_url", "release_url", "docs_url", "bugtrack_url"):
        data["info"].pop(key, None)
    data.pop("releases", None)
    data.pop("last_serial", None)
    return data


def test_token_upload_then_pip_install(indexes, demo_dists, clean_env, make_venv):
    index, _ = indexes
    env = {**clean_env, "SHIPYARD_PASSWORD": index.token}  # a shipyard token alone: user __token__
    result = cli("publish", *demo_dists["1.0"], "--repository-url", f"{index.url}legacy/", env=env)
    assert result.returncode == 0, result.stderr
    assert "as __token__" in result.stderr and index.token not in result.stdout + result.stderr
    venv = make_venv()
    venv.pip("install", "--index-url", f"{index.url}simple/", "ship-demo==1.0")
    assert venv.run("-c", "import ship_demo; print(ship_demo.VALUE)").stdout.strip() == "1.0"
    again = cli("publish", *demo_dists["1.0"], "--repository-url", f"{index.url}legacy/", env=env)
    assert again.returncode == 1 and "File already exists" in again.stderr
    skipped = cli("publish", *demo_dists["1.0"], "--repository-url", f"{index.url}legacy/", "--skip-existing",
                  env=env)
    assert skipped.returncode == 0 and "2 skipped" in skipped.stdout


def test_same_files_same_metadata_as_twine(indexes, demo_dists, clean_env):
    by_shipyard, by_twine = indexes
    files = demo_dists["1.1"]
    env = {**clean_env, "SHIPYARD_USERNAME": USER, "SHIPYARD_PASSWORD": PASSWORD}
    cli("publish", *files, "--repository-url", f"{by_shipyard.url}legacy/", env=env, check=True)
    twine_env = {**clean_env, "TWINE_USERNAME": USER, "TWINE_PASSWORD": PASSWORD}
    twine = cli(tool("twine"), "upload", "--non-interactive", "--disable-progress-bar",
                "--repository-url", f"{by_twine.url}legacy/", *files, env=twine_env, module=False)
    assert twine.returncode == 0, twine.stdout + twine.stderr
    ours, theirs = _release(by_shipyard.url, "ship-demo"), _release(by_twine.url, "ship-demo")
    assert ours["info"]["version"] == "1.1"
    assert ours == theirs
    assert sorted(f["digests"]["sha256"] for f in ours["urls"]) == sorted(f["digests"]["sha256"] for f in theirs["urls"])
