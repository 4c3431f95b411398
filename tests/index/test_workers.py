"""Several workers on one SQLite index: every worker's page cache follows every write."""

from __future__ import annotations

import time

import httpx
import index_dists
import pytest
from index_support import Server

pytestmark = pytest.mark.slow
V1_JSON = {"Accept": "application/vnd.pypi.simple.v1+json"}


def test_workers_share_one_sqlite_index(tmp_path) -> None:
    server = Server(tmp_path / "workers", ("--quiet", "--workers", "2"))
    server.add_user("ivy")
    started = time.monotonic()
    server.start()
    assert time.monotonic() - started < 10
    try:
        token = server.token("ivy")
        with httpx.Client(base_url=server.url) as client:  # new connections spread over the workers
            for version in ("1.0", "1.1", "1.2"):
                assert server.upload(index_dists.wheel(tmp_path, "multi-demo", version), token).status_code == 200
                for _ in range(12):
                    page = httpx.get(f"{server.url}/simple/multi-demo/", headers=V1_JSON).json()
                    assert page["versions"][-1] == version
                    client.get("/simple/multi-demo/")
            server.cli("project", "yank", "multi-demo", "1.2")
            for _ in range(12):
                assert "data-yanked" in httpx.get(f"{server.url}/simple/multi-demo/").text
    finally:
        server.stop()
