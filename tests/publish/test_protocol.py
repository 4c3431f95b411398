"""The upload form and the answers: compared with twine's, retried, refused, explained."""

from __future__ import annotations

import base64
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from publish_servers import free_port, start_garbage_server
from tests_publish_helpers import cli, tool
from shipyard.publish import publish
from shipyard.publish.credentials import Credentials
from shipyard.publish.repositories import Repository

KEYRING_BACKEND = '''
from keyring.backend import KeyringBackend
from keyring.credentials import SimpleCredential

class Backend(KeyringBackend):
    priority = 1
    def get_password(self, service, username):
        return "from-keyring" if username == "kim" else None
    def get_credential(self, service, username):
        return SimpleCredential("kim", "from-keyring")
    def set_password(self, service, username, password):
        raise NotImplementedError
    def delete_password(self, service, username):
        raise NotImplementedError
'''


class Events:
    """A publish display that remembers what it was told."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def warning(self, message: str) -> None:
        self.lines.append(f"warning: {message}")

    def start(self, path: Path, total: int) -> None:
        self.lines.append(f"start {path.name}")

    def advance(self, sent: int, total: int) -> None:
        pass

    def retry(self, message: str) -> None:
        self.lines.append(f"retry {message}")

    def finish(self, outcome) -> None:
        self.lines.append(f"{outcome.status} {outcome.path.name}")


def auth_of(upload) -> tuple[str, str]:
    user, _, password = base64.b64decode(upload.headers["Authorization"].split()[1]).decode().partition(":")
    return user, password


def test_form_is_the_one_twine_sends(recorder, demo_dists, clean_env):
    env = {**clean_env, "TWINE_USERNAME": "bob", "TWINE_PASSWORD": "pw"}
    recorder.reset()
    twine = cli(tool("twine"), "upload", "--non-interactive", "--disable-progress-bar",
                "--repository-url", recorder.url, *demo_dists["1.0"], env=env, module=False)
    assert twine.returncode == 0, twine.stdout + twine.stderr
    by_twine = list(recorder.uploads)
    recorder.reset()
    cli("publish", *demo_dists["1.0"], "--repository-url", recorder.url, env=env, check=True)
    by_shipyard = list(recorder.uploads)
    assert len(by_twine) == len(by_shipyard) == 2
    by_name = {u.filename: u for u in by_twine}
    for upload in by_shipyard:
        theirs = by_name[upload.filename]
        assert Counter(upload.fields) == Counter(theirs.fields)
        assert upload.content == theirs.content
        assert auth_of(upload) == auth_of(theirs) == ("bob", "pw")
    fields = dict(by_shipyard[0].fields)
    assert fields[":action"] == "file_upload" and fields["protocol_version"] == "1"
    assert fields["name"] == "Ship-Demo" and fields["filetype"] in ("sdist", "bdist_wheel")
    assert len(fields["sha256_digest"]) == 64 and fields["license_expression"] == "MIT"
    assert ("project_urls", "Homepage, https://example.com/ship-demo") in by_shipyard[0].fields


def test_api_token_alone_logs_in_as_token_user(recorder, demo_dists, clean_env):
    recorder.reset()
    env = {**clean_env, "SHIPYARD_PASSWORD": "pypi-AgEIcHlwaS5vcmc-test-token"}
    result = cli("publish", demo_dists["1.0"][0], "--repository-url", recorder.url, env=env)
    assert result.returncode == 0, result.stderr
    assert auth_of(recorder.uploads[0]) == ("__token__", "pypi-AgEIcHlwaS5vcmc-test-token")
    assert "pypi-AgEI" not in result.stdout + result.stderr


def test_keyring_supplies_the_password(recorder, demo_dists, clean_env, tmp_path):
    (tmp_path / "fake_keyring.py").write_text(KEYRING_BACKEND)
    env = {**clean_env, "PYTHONPATH": f"{tmp_path}", "PYTHON_KEYRING_BACKEND": "fake_keyring.Backend"}
    recorder.reset()
    result = cli("publish", demo_dists["1.0"][0], "--repository-url", recorder.url, env=env)
    assert result.returncode == 0, result.stderr
    assert auth_of(recorder.uploads[0]) == ("kim", "from-keyring")


def test_missing_credential_is_an_error_before_any_request(recorder, demo_dists, clean_env):
    recorder.reset()
    result = cli("publish", *demo_dists["1.0"], "--repository-url", recorder.url, env=clean_env)
    assert result.returncode == 1
    assert "error: no password or API token for repository" in result.stderr
    assert recorder.uploads == []


def test_not_a_distribution_uploads_nothing(recorder, demo_dists, clean_env, tmp_path):
    bogus = tmp_path / "notes-1.0.tar.gz"
    bogus.write_bytes(b"this is not gzip")
    recorder.reset()
    env = {**clean_env, "SHIPYARD_USERNAME": "u", "SHIPYARD_PASSWORD": "p"}
    result = cli("publish", *demo_dists["1.0"], bogus, "--repository-url", recorder.url, env=env)
    assert result.returncode == 1
    assert "error: nothing was uploaded: notes-1.0.tar.gz: [not-a-distribution]" in result.stderr
    assert recorder.uploads == []
    other = tmp_path / "README.txt"
    other.write_text("hello")
    result = cli("publish", other, "--repository-url", recorder.url, "--no-check", env=env)
    assert result.returncode == 1 and "not a distribution" in result.stderr and recorder.uploads == []


def test_broken_metadata_is_refused_by_the_check(recorder, demo_dists, clean_env, tmp_path):
    wheel = next(p for p in demo_dists["1.0"] if p.suffix == ".whl")
    broken = tmp_path / wheel.name
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".dist-info/METADATA"):
                data = data.replace(b"Requires-Python: >=3.9", b"Requires-Python: >=three")
            target.writestr(info, data)
    recorder.reset()
    env = {**clean_env, "SHIPYARD_USERNAME": "u", "SHIPYARD_PASSWORD": "p"}
    result = cli("publish", broken, "--repository-url", recorder.url, env=env)
    assert result.returncode == 1 and "[metadata-invalid]" in result.stderr and "shipyard check" in result.stderr
    assert recorder.uploads == []


@pytest.mark.parametrize(("answer", "expected"), [
    ((400, "Invalid value for classifiers. Error: 'Foo' is not a valid classifier", ""),
     "the server refused the upload (400: Invalid value for classifiers. Error: 'Foo' is not a valid classifier)"),
    ((401, "Unauthorized", "Invalid or non-existent authentication information."),
     "authentication failed for user 'u' (password from SHIPYARD_PASSWORD) (401: Invalid or non-existent"),
    ((403, "Forbidden", "The user 'u' isn't allowed to upload to project 'ship-demo'."),
     "may not upload this file"),
    ((409, "Conflict", "<html><body><p>Conflicting request</p></body></html>"),
     "the server refused the upload as a conflict (409: Conflicting request)"),
])
def test_refusals_carry_the_servers_reason(recorder, demo_dists, clean_env, answer, expected):
    recorder.reset(answer)
    env = {**clean_env, "SHIPYARD_USERNAME": "u", "SHIPYARD_PASSWORD": "p"}
    result = cli("publish", *demo_dists["1.0"], "--repository-url", recorder.url, env=env)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "1 failed, 1 not attempted" in result.stdout
    assert len(recorder.uploads) == 1


@pytest.mark.parametrize("answer", [
    (400, "File already exists. See https://pypi.org/help/#file-name-reuse for more information.", ""),  # PyPI
    (409, "Conflict", "Package 'ship_demo-1.0.tar.gz' already exists!"),  # pypiserver
    (400, "Bad Request", "File already exists: 'ship_demo-1.0.tar.gz' was uploaded before"),  # shipyard
])
def test_skip_existing_knows_each_servers_answer(recorder, demo_dists, answer):
    recorder.reset(answer, answer)
    events = Events()
    outcomes = publish(demo_dists["1.0"], Repository("rec", recorder.url), Credentials("u", "p"), events,
                       skip_existing=True)
    assert [o.status for o in outcomes] == ["skipped", "skipped"]


def test_server_errors_are_retried_with_backoff(recorder, demo_dists):
    recorder.reset((503, "Service Unavailable", ""), (502, "Bad Gateway", "upstream down"))
    events = Events()
    outcomes = publish(demo_dists["1.0"], Repository("rec", recorder.url), Credentials("u", "p"), events,
                       backoff=0.01)
    assert [o.status for o in outcomes] == ["uploaded", "uploaded"]
    retries = [line for line in events.lines if line.startswith("retry")]
    assert len(retries) == 2 and "503" in retries[0] and "retry 2 of 3" in retries[1]
    assert len(recorder.uploads) == 4


def test_persistent_server_errors_fail_and_stop(recorder, demo_dists):
    recorder.reset(*[(500, "Internal Server Error", "boom")] * 3)
    outcomes = publish(demo_dists["1.0"], Repository("rec", recorder.url), Credentials("u", "p"), Events(),
                       retries=2, backoff=0.01)
    assert [o.status for o in outcomes] == ["failed", "not attempted"]
    assert "server error (500: boom)" in outcomes[0].message


def test_garbage_answers_and_dead_servers_are_clear_errors(demo_dists, clean_env):
    port, listener = start_garbage_server()
    env = {**clean_env, "SHIPYARD_USERNAME": "u", "SHIPYARD_PASSWORD": "p"}
    try:
        result = cli("publish", *demo_dists["1.0"], "--repository-url", f"http://127.0.0.1:{port}/legacy/",
                     "--retries", "0", env=env)
    finally:
        listener.close()
    assert result.returncode == 1 and "no valid answer from" in result.stderr and "0 uploaded" in result.stdout
    dead = cli("publish", *demo_dists["1.0"], "--repository-url", f"http://127.0.0.1:{free_port()}/legacy/",
               "--retries", "0", env=env)
    assert dead.returncode == 1 and "cannot reach" in dead.stderr


def test_redirects_are_not_followed(recorder, demo_dists):
    recorder.reset((301, "Moved Permanently", ""))
    outcomes = publish(demo_dists["1.0"][:1], Repository("rec", recorder.url), Credentials("u", "p"), Events())
    assert outcomes[0].status == "failed" and "refusing to follow" in outcomes[0].message


def test_json_output(recorder, demo_dists, clean_env):
    import json

    recorder.reset()
    env = {**clean_env, "SHIPYARD_USERNAME": "u", "SHIPYARD_PASSWORD": "p"}
    result = cli("publish", *demo_dists["1.0"], "--repository-url", recorder.url, "--json", env=env)
    data = json.loads(result.stdout)
    assert data["ok"] and [f["status"] for f in data["files"]] == ["uploaded", "uploaded"]
    assert data["files"][0]["file"].endswith(".tar.gz")
