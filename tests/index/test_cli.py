"""`shipyard index ...` and `shipyard serve --help`: accounts, tokens, projects, static export."""

from __future__ import annotations

import json

import httpx
import index_dists
from index_support import shipyard_cli


def test_help_has_examples() -> None:
    serve = shipyard_cli("serve", "--help").stdout
    assert "--index-url http://127.0.0.1:8080/simple/" in serve and "--workers" in serve and "--private" in serve
    admin = shipyard_cli("index", "--help").stdout
    assert "shipyard index token create alice --project demo" in admin


def test_users_and_tokens(tmp_path) -> None:
    data = tmp_path / "idx"
    index = ("--data", data)
    shipyard_cli("index", "user", "add", "erin", "--password-stdin", *index, input="long enough password\n")
    duplicate = shipyard_cli("index", "user", "add", "erin", "--password-stdin", *index, input="long enough password\n", check=False)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    short = shipyard_cli("index", "user", "add", "frank", "--password-stdin", *index, input="short\n", check=False)
    assert short.returncode == 1 and "at least 8" in short.stderr
    token = shipyard_cli("index", "token", "create", "erin", "--description", "ci", *index).stdout
    assert token.count("\n") == 1 and token.startswith("shipyard-")  # only the token
    listed = json.loads(shipyard_cli("index", "token", "list", "--json", *index).stdout)
    assert listed[0]["user"] == "erin" and listed[0]["scope"] == "user" and listed[0]["revoked"] is False
    assert token.strip() not in json.dumps(listed)
    stored = (data / "index.sqlite3").read_bytes()
    assert token.strip().encode() not in stored and token.strip().split("-", 2)[2].encode() not in stored
    scoped = shipyard_cli("index", "token", "create", "erin", "--project", "nope", *index, check=False)
    assert scoped.returncode == 1 and "no project 'nope'" in scoped.stderr
    shipyard_cli("index", "token", "revoke", listed[0]["id"], *index)
    assert json.loads(shipyard_cli("index", "token", "list", "--json", *index).stdout)[0]["revoked"] is True
    missing = shipyard_cli("index", "token", "create", "nobody", *index, check=False)
    assert missing.returncode == 1 and "no user 'nobody'" in missing.stderr


def test_projects_yank_delete_and_export(index_server, tmp_path) -> None:
    for version in ("1.0", "1.1"):
        wheel = index_dists.wheel(tmp_path, "Export.Me", version)
        assert index_server.upload(wheel, index_server.alice_token).status_code == 200
    projects = json.loads(index_server.cli("project", "list", "--json").stdout)
    assert any(p["name"] == "export-me" and p["display_name"] == "Export.Me" for p in projects)
    index_server.cli("project", "yank", "export.me", "1.1", "--reason", "bad")
    missing = index_server.cli("project", "yank", "export-me", "9.0", check=False)
    assert missing.returncode == 1 and "no release export-me 9.0" in missing.stderr
    target = tmp_path / "static"
    index_server.cli("export", target)
    for accept, filename in (("text/html", "index.html"), ("application/vnd.pypi.simple.v1+json", "index.json")):
        served = httpx.get(f"{index_server.url}/simple/export-me/", headers={"Accept": accept}).content
        assert (target / "simple" / "export-me" / filename).read_bytes() == served
    assert "export-me/" in (target / "simple" / "index.html").read_text()
    index_server.cli("project", "delete", "export-me", "--yes")
    assert httpx.get(f"{index_server.url}/simple/export-me/").status_code == 404
    index_server.cli("export", target)
    assert not (target / "simple" / "export-me").exists()
