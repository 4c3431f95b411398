"""The legacy upload API: what it accepts, and hostile input refused with a clear 4xx, nothing stored."""

from __future__ import annotations

import concurrent.futures
import io
import tarfile
import zipfile
from pathlib import Path

import httpx
import index_dists
import pytest


def stored_files(server) -> set[str]:
    """Every file name in the blob store (data files, not scratch)."""
    return {p.name for p in (server.data / "files" / "packages").rglob("*") if p.is_file()}


@pytest.fixture
def nothing_stored(index_server):
    """Asserts that a test left the blob store and the project list as they were."""
    before_files = stored_files(index_server)
    before_projects = index_server.cli("project", "list", "--json").stdout
    yield
    assert stored_files(index_server) == before_files
    assert index_server.cli("project", "list", "--json").stdout == before_projects
    assert httpx.get(f"{index_server.url}/health").status_code == 200


def test_first_upload_registers_project_to_uploader(index_server, dist_dir) -> None:
    wheel = index_dists.wheel(dist_dir, "first-up", "1.0")
    response = index_server.upload(wheel, index_server.alice_token)
    assert response.status_code == 200
    assert "registered project 'first-up' to 'alice'" in response.text
    # bob is not a maintainer: refused; once given a role: accepted
    other = index_dists.wheel(dist_dir, "first-up", "1.1")
    refused = index_server.upload(other, index_server.bob_token)
    assert refused.status_code == 403 and "not allowed to upload to project 'first-up'" in refused.text
    index_server.cli("project", "role", "first-up", "bob", "maintainer")
    assert index_server.upload(other, index_server.bob_token).status_code == 200


def test_existing_file_is_refused_as_pypi_does(index_server, dist_dir) -> None:
    wheel = index_dists.wheel(dist_dir, "exists-demo", "1.0")
    assert index_server.upload(wheel, index_server.alice_token).status_code == 200
    again = index_server.upload(wheel, index_server.alice_token)
    assert again.status_code == 400 and "File already exists" in again.text
    # a deleted file's name stays taken (as on PyPI)
    index_server.cli("project", "delete", "exists-demo", "1.0", "--yes")
    assert httpx.get(f"{index_server.url}/simple/exists-demo/").text.count("<a ") == 0
    after_delete = index_server.upload(wheel, index_server.alice_token)
    assert after_delete.status_code == 400 and "File already exists" in after_delete.text


def test_twine_recognizes_the_existing_file_answer(index_server, dist_dir) -> None:
    import requests
    from twine.commands.upload import skip_upload

    wheel = index_dists.wheel(dist_dir, "skip-demo", "1.0")
    assert index_server.upload(wheel, index_server.alice_token).status_code == 200
    response = requests.post(f"{index_server.url}/legacy/", auth=("__token__", index_server.alice_token),
                             data={":action": "file_upload", "name": "skip-demo", "version": "1.0", "filetype": "bdist_wheel",
                                   "sha256_digest": __import__("hashlib").sha256(wheel.read_bytes()).hexdigest()},
                             files={"content": (wheel.name, wheel.read_bytes())}, timeout=30)
    assert response.status_code == 400
    assert skip_upload(response, skip_existing=True, package=None)


def test_two_uploads_to_one_project_at_once(index_server, dist_dir) -> None:
    wheels = [index_dists.wheel(dist_dir, "race-demo", f"1.{i}") for i in range(6)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda w: index_server.upload(w, index_server.alice_token), wheels))
    assert [r.status_code for r in responses] == [200] * 6, [r.text for r in responses]
    page = httpx.get(f"{index_server.url}/simple/race-demo/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}).json()
    assert sorted(page["versions"]) == [f"1.{i}" for i in range(6)]
    assert len(page["files"]) == 6


def _zip_wheel(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_bomb_is_refused(index_server, dist_dir, nothing_stored) -> None:
    bomb = _zip_wheel(dist_dir / "bomb-1.0-py3-none-any.whl", {
        "bomb-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: bomb\nVersion: 1.0\n",
        "bomb/zeros.bin": b"\0" * (30 * 1024 * 1024),
    })
    response = index_server.upload(bomb, index_server.alice_token)
    assert response.status_code == 400 and "zip bomb" in response.text


def _tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("member", ["evil_demo-1.0/../../escape.py", "/etc/evil.py"])
def test_tar_with_escaping_member_is_refused(index_server, dist_dir, nothing_stored, member) -> None:
    sdist = _tar(dist_dir / "evil_demo-1.0.tar.gz", {
        "evil_demo-1.0/PKG-INFO": b"Metadata-Version: 2.1\nName: evil-demo\nVersion: 1.0\n",
        "evil_demo-1.0/pyproject.toml": b"[project]\n",
        member: b"print('pwned')\n",
    })
    response = index_server.upload(sdist, index_server.alice_token)
    assert response.status_code == 400
    assert "Invalid distribution" in response.text and ("climbs out" in response.text or "absolute" in response.text)
    assert not (index_server.data.parent / "escape.py").exists()


def test_metadata_that_disagrees_with_the_file_name(index_server, dist_dir, nothing_stored) -> None:
    wheel = index_dists.wheel(dist_dir, "liar-demo", "1.0", metadata_name="someone-else")
    response = index_server.upload(wheel, index_server.alice_token)
    assert response.status_code == 400 and "does not match the file name" in response.text


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "other-project"}, "form name 'other-project' does not match"),
    ({"version": "2.0"}, "form version '2.0' does not match"),
    ({"filetype": "sdist"}, "filetype 'sdist' does not match"),
    ({"sha256_digest": "0" * 64}, "sha256 digest does not match"),
    ({"sha256_digest": None}, "sha256_digest (or md5/blake2_256) is required"),
    ({":action": "remove_pkg"}, "Unsupported action"),
])
def test_form_that_disagrees(index_server, dist_dir, nothing_stored, fields, message) -> None:
    wheel = index_dists.wheel(dist_dir, "form-demo", "1.0")
    response = index_server.upload(wheel, index_server.alice_token, **fields)
    assert response.status_code == 400 and message in response.text


@pytest.mark.parametrize("filename", ["../form_demo-1.0-py3-none-any.whl", "a/form_demo-1.0-py3-none-any.whl",
                                      "a\\form_demo-1.0-py3-none-any.whl", "form_demo-1.0-py3-none-any.exe", ".hidden.whl"])
def test_bad_file_names(index_server, dist_dir, nothing_stored, filename) -> None:
    wheel = index_dists.wheel(dist_dir, "form-demo", "1.0")
    response = httpx.post(f"{index_server.url}/legacy/", auth=("__token__", index_server.alice_token),
                          data={"name": "form-demo", "version": "1.0", "sha256_digest": "0" * 64},
                          files={"content": (filename, wheel.read_bytes())})
    assert response.status_code == 400
    assert "Invalid file name" in response.text


def test_malformed_multipart(index_server, nothing_stored) -> None:
    headers = {"Content-Type": "multipart/form-data; boundary=xyz"}
    for body in (b"--xyz\r\nContent-Disposition: form-data; name=\"content\"; filename=\"a.whl\"\r\n\r\nabc",
                 b"garbage", b"--xyz\r\nno-headers\r\n--xyz--\r\n"):
        response = httpx.post(f"{index_server.url}/legacy/", content=body, headers=headers,
                              auth=("__token__", index_server.alice_token))
        assert 400 <= response.status_code < 500, response.text
    no_file = httpx.post(f"{index_server.url}/legacy/", data={"name": "x"}, auth=("__token__", index_server.alice_token))
    assert no_file.status_code == 400 and "no file" in no_file.text


@pytest.mark.parametrize("random_bytes", [2_200_000, 3_200_000])  # checked on the file, and on the whole body
def test_over_the_size_limit(index_server, dist_dir, nothing_stored, random_bytes) -> None:
    wheel = index_dists.wheel(dist_dir, "big-demo", "1.0", module_text="x = %r\n" % __import__("os").urandom(random_bytes).hex())
    assert wheel.stat().st_size > 2 * 1024 * 1024
    response = index_server.upload(wheel, index_server.alice_token)
    assert response.status_code == 413 and "File too large" in response.text


def test_wrong_or_missing_credentials(index_server, dist_dir, nothing_stored) -> None:
    first = index_dists.wheel(dist_dir, "scoped-a", "1.0")
    wrong = index_server.upload(first, index_server.alice_token[:-4] + "AAAA")
    assert wrong.status_code == 401 and "Invalid or non-existent authentication" in wrong.text
    assert index_server.upload(first, "not-a-token").status_code == 401
    anonymous = httpx.post(f"{index_server.url}/legacy/", data={"name": "x"})
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Basic")


def test_project_scoped_token(index_server, dist_dir) -> None:
    assert index_server.upload(index_dists.wheel(dist_dir, "scope-a", "1.0"), index_server.alice_token).status_code == 200
    assert index_server.upload(index_dists.wheel(dist_dir, "scope-b", "1.0"), index_server.alice_token).status_code == 200
    token = index_server.token("alice", "scope-a")
    assert index_server.upload(index_dists.wheel(dist_dir, "scope-a", "1.1"), token).status_code == 200
    other = index_server.upload(index_dists.wheel(dist_dir, "scope-b", "1.1"), token)
    assert other.status_code == 403 and "not valid for project 'scope-b'" in other.text
    new = index_server.upload(index_dists.wheel(dist_dir, "scope-c", "1.0"), token)
    assert new.status_code == 403 and "scoped to another project" in new.text
    assert "scope-b-1.1" not in str(stored_files(index_server)) and "scope_c" not in str(stored_files(index_server))
    # revoked: refused from then on
    index_server.cli("token", "revoke", token.split("-")[1])
    assert index_server.upload(index_dists.wheel(dist_dir, "scope-a", "1.2"), token).status_code == 401


def test_password_upload_and_wrong_password(index_server, dist_dir) -> None:
    from index_support import PASSWORD

    wheel = index_dists.wheel(dist_dir, "pw-demo", "1.0")
    data = {"name": "pw-demo", "version": "1.0", "sha256_digest": __import__("hashlib").sha256(wheel.read_bytes()).hexdigest()}
    bad = httpx.post(f"{index_server.url}/legacy/", auth=("alice", "wrong password"), data=data,
                     files={"content": (wheel.name, wheel.read_bytes())})
    assert bad.status_code == 401
    good = httpx.post(f"{index_server.url}/legacy/", auth=("alice", PASSWORD), data=data,
                      files={"content": (wheel.name, wheel.read_bytes())})
    assert good.status_code == 200, good.text
