"""Scale-out: two servers (one with two workers) on one PostgreSQL and one blob directory."""

from __future__ import annotations

import concurrent.futures
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx
import index_dists
import pytest
from index_support import Server, free_port, run

pytestmark = pytest.mark.slow


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"PostgreSQL's {name} is missing: run scripts/system-deps.sh")
    return path


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL cluster on a free loopback port; yields its database URL."""
    root = Path(tempfile.mkdtemp(prefix="shipyard-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    os.chmod(root, 0o755)
    port = free_port()
    data = root / "data"
    run(*as_user, _pg_bin("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    run(*as_user, _pg_bin("pg_ctl"), "-D", data, "-l", root / "log", "-w", "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c max_connections=200", "start")
    try:
        run(*as_user, _pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "index")
        yield f"postgresql://postgres@127.0.0.1:{port}/index"
    finally:
        subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def test_two_servers_one_database(postgres, tmp_path) -> None:
    blobs = tmp_path / "blobs"
    first = Server(tmp_path / "a", ("--quiet", "--database", postgres, "--blobs", str(blobs), "--workers", "2"))
    second = Server(tmp_path / "b", ("--quiet", "--database", postgres, "--blobs", str(blobs)))
    first.add_user("hana")
    first.start()
    second.start()
    try:
        token = second.token("hana")
        wheels = [index_dists.wheel(tmp_path, "scale-demo", f"1.{i}") for i in range(8)]
        # the first upload registers the project; then uploads race on both servers at once
        assert first.upload(wheels[0], token).status_code == 200
        assert b"scale_demo-1.0" in httpx.get(f"{second.url}/simple/scale-demo/").content  # cached on second now
        with concurrent.futures.ThreadPoolExecutor(7) as pool:
            results = list(pool.map(lambda pair: pair[0].upload(pair[1], token),
                                    [((first, second)[i % 2], w) for i, w in enumerate(wheels[1:])]))
        assert [r.status_code for r in results] == [200] * 7, [r.text for r in results]
        for server in (first, second):
            for _ in range(4):  # several requests: each worker's cache must be current
                page = httpx.get(f"{server.url}/simple/scale-demo/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}).json()
                assert page["versions"] == [f"1.{i}" for i in range(8)]
        # a file uploaded through one server downloads from the other; new names race once
        (tmp_path / "clash").mkdir()
        clash = index_dists.wheel(tmp_path / "clash", "clash-demo", "1.0")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(lambda server: server.upload(clash, token), (first, second)))
        assert sorted(r.status_code for r in outcomes) == [200, 400]
        wheel_url = next(f["url"] for f in httpx.get(f"{second.url}/simple/clash-demo/",
                         headers={"Accept": "application/vnd.pypi.simple.v1+json"}).json()["files"])
        assert httpx.get(f"{first.url}/simple/clash-demo/{wheel_url}").content == clash.read_bytes()
    finally:
        first.stop()
        second.stop()
