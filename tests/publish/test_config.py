"""Repositories and credentials: built-in names, .pypirc in twine's format, precedence."""

from __future__ import annotations

import pytest
from shipyard_core.errors import ShipyardError

from shipyard.publish import credentials, repositories
from shipyard.publish.repositories import LOCAL, PYPI, TESTPYPI, Repository

PYPIRC = """\
[distutils]
index-servers =
    pypi
    testpypi
    company

[server-login]
username = fallback-user

[pypi]
password = pypi-token-from-file

[company]
repository = https://pypi.example.com/legacy/
username = carol
password = from-pypirc
ca_cert = /etc/ssl/company.pem
"""


@pytest.fixture
def pypirc(tmp_path):
    path = tmp_path / ".pypirc"
    path.write_text(PYPIRC)
    return path


@pytest.mark.parametrize(("name", "url"), [("pypi", PYPI), ("testpypi", TESTPYPI), ("local", LOCAL)])
def test_builtin_repositories(name, url, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.pypirc there
    repository = repositories.resolve(name, None, None, {})
    assert repository.url == url


def test_local_is_the_embedded_index_default_address():
    assert LOCAL == "http://127.0.0.1:8080/legacy/"


def test_pypirc_sections_like_twine(pypirc):
    found = repositories.read_pypirc(pypirc)
    assert found["company"] == Repository("company", "https://pypi.example.com/legacy/", "carol", "from-pypirc",
                                          "/etc/ssl/company.pem", None)
    assert found["pypi"].url == PYPI and found["pypi"].password == "pypi-token-from-file"
    assert found["pypi"].username == "fallback-user"  # [server-login], as twine reads it
    assert found["testpypi"].url == TESTPYPI


def test_repository_url_wins_then_environment_then_name(pypirc):
    assert repositories.resolve("company", "http://127.0.0.1:1/x/", pypirc, {}).url == "http://127.0.0.1:1/x/"
    env = {"TWINE_REPOSITORY_URL": "http://127.0.0.1:2/"}
    assert repositories.resolve(None, None, pypirc, env).url == "http://127.0.0.1:2/"
    assert repositories.resolve(None, None, pypirc, {"TWINE_REPOSITORY": "company"}).name == "company"
    assert repositories.resolve(None, None, pypirc, {}).url == PYPI


def test_unknown_repository_and_bad_urls_are_clear(pypirc, tmp_path):
    with pytest.raises(ShipyardError, match="unknown repository 'nope': known are company, local, pypi, testpypi"):
        repositories.resolve("nope", None, pypirc, {})
    with pytest.raises(ShipyardError, match="expected an http:// or https:// URL"):
        repositories.resolve(None, "ftp://example.com/", pypirc, {})
    with pytest.raises(ShipyardError, match="not in the URL"):
        repositories.resolve(None, "https://u:p@example.com/legacy/", pypirc, {})
    with pytest.raises(ShipyardError, match="no such configuration file"):
        repositories.resolve("pypi", None, tmp_path / "missing.pypirc", {})
    broken = tmp_path / "broken.pypirc"
    broken.write_text("[distutils]\nindex-servers = x\n[x]\nusername = a\n")
    with pytest.raises(ShipyardError, match=r"\[x\] has no 'repository' URL"):
        repositories.resolve("x", None, broken, {})


def test_credential_precedence(pypirc, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    company = repositories.read_pypirc(pypirc)["company"]
    assert credentials.resolve(company, "opt", "opt-pw", {"SHIPYARD_PASSWORD": "env"}).password == "opt-pw"
    env = {"SHIPYARD_USERNAME": "s", "SHIPYARD_PASSWORD": "s-pw", "TWINE_USERNAME": "t", "TWINE_PASSWORD": "t-pw"}
    assert credentials.resolve(company, None, None, env) == credentials.Credentials("s", "s-pw", "SHIPYARD_PASSWORD")
    env = {"TWINE_USERNAME": "t", "TWINE_PASSWORD": "t-pw"}
    assert credentials.resolve(company, None, None, env).username == "t"
    assert credentials.resolve(company, None, None, {}) == credentials.Credentials("carol", "from-pypirc", ".pypirc")


def test_tokens_and_missing_credentials(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    pypi = Repository("pypi", PYPI)
    assert credentials.resolve(pypi, None, "anything", {}).username == "__token__"
    other = Repository("other", "https://example.com/legacy/")
    assert credentials.resolve(other, None, "pypi-abc", {}).username == "__token__"
    with pytest.raises(ShipyardError, match="no user name for repository 'other'"):
        credentials.resolve(other, None, "secret", {})
    with pytest.raises(ShipyardError, match="no password or API token for repository 'other'"):
        credentials.resolve(other, "u", None, {})


def test_password_never_in_repr():
    assert "hunter2" not in repr(credentials.Credentials("u", "hunter2", "option"))
