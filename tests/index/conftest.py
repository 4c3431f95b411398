"""Index test fixtures: one shared `shipyard serve` per test process, tiny distributions."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from index_support import Server  # noqa: E402


@pytest.fixture(scope="session")
def index_server(tmp_path_factory):
    """A shared index with users alice (token `alice_token`) and bob, max upload 2 MiB."""
    data = tmp_path_factory.mktemp("index") / "data"
    server = Server(data, ("--quiet", "--max-upload", "2M"))
    server.add_user("alice")
    server.add_user("bob")
    server.start()
    server.alice_token = server.token("alice")
    server.bob_token = server.token("bob")
    yield server
    server.stop()


@pytest.fixture
def dist_dir(tmp_path) -> Path:
    path = tmp_path / "dist"
    path.mkdir()
    return path

