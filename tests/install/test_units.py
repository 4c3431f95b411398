"""The pieces without a server: requirements files, lock text, page parsing, uninstall."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.tags import Tag
from packaging.utils import canonicalize_name
from packaging.version import Version
from shipyard_core.errors import ShipyardError

from shipyard.install import lock
from shipyard.install.finder import DistFile, parse_html_page
from shipyard.install.installed import InstalledDist, scan, uninstall
from shipyard.install.requirements import Inputs, read_file
from shipyard.install.target import Target

TARGET = Target(python=Path("/env/bin/python"), tags=(Tag("py3", "none", "any"),),
                markers={"implementation_name": "cpython", "python_full_version": "3.11.7", "sys_platform": "linux",
                         "platform_machine": "x86_64", "python_version": "3.11"},
                scheme={"purelib": "/env/lib", "platlib": "/env/lib", "scripts": "/env/bin", "data": "/env",
                        "headers": "/env/include"})


def test_requirements_file_syntax(tmp_path):
    (tmp_path / "more.txt").write_text("tomli ; python_version < '3.11'\n")
    (tmp_path / "req.txt").write_text(
        "# comment\n\nrich>=13  # trailing comment\nhttpx[http2] \\\n  >=0.27\n-r more.txt\n"
        "-i https://example.org/simple/\n--extra-index-url=https://extra.example/simple/\n")
    inputs = Inputs()
    read_file(tmp_path / "req.txt", inputs)
    assert [str(r) for r in inputs.requirements] == ["rich>=13", "httpx[http2]>=0.27", 'tomli; python_version < "3.11"']
    assert inputs.index_url == "https://example.org/simple/"
    assert inputs.extra_index_urls == ["https://extra.example/simple/"]


@pytest.mark.parametrize(("text", "message"), [
    ("--no-binary :all:\n", "'--no-binary' is not supported"),
    ("-c req.txt\n", "loop"),
    ("rich==13.0 --hash=sha256:abc\n", "--hash is not supported"),
    ("pkg @ git+https://example.org/pkg.git\n", "no VCS URLs yet"),
    ("pkg @ https://example.org/pkg.whl\n", "not a valid distribution file name"),
    ("not a requirement!\n", "not a PEP 508 requirement"),
    ("-r req.txt\n", "loop"),
])
def test_requirements_file_refusals(tmp_path, text, message):
    (tmp_path / "req.txt").write_text(text)
    with pytest.raises(ShipyardError, match=message) as caught:
        read_file(tmp_path / "req.txt", Inputs())
    assert "req.txt" in str(caught.value)


def test_constraints_are_names_with_versions(tmp_path):
    (tmp_path / "c.txt").write_text("rich[jupyter]<14\n")
    with pytest.raises(ShipyardError, match="no extras, no URL") as caught:
        read_file(tmp_path / "c.txt", Inputs(), constraints=True)
    assert "c.txt: line 1" in str(caught.value)


def test_lock_text_is_valid_toml_and_reads_back(tmp_path):
    tricky = 'https://example.org/simple/"quoted"\\ü🐍/'
    wheel = DistFile("demo-1.0-py3-none-any.whl", "https://files.example/demo-1.0-py3-none-any.whl", tricky,
                     Version("1.0"), {"sha256": "a" * 64}, size=123, tags=frozenset({Tag("py3", "none", "any")}),
                     upload_time="2024-05-01T10:20:30.123456Z")
    path = tmp_path / "pylock.toml"
    lock.write(path, [lock.LockedFile("demo", Version("1.0"), wheel, 123, "a" * 64)], TARGET)
    data = tomllib.loads(path.read_text())
    assert data["packages"][0]["index"] == tricky
    assert data["packages"][0]["wheels"][0]["upload-time"].isoformat() == "2024-05-01T10:20:30.123456+00:00"
    assert data["environments"] == [('implementation_name == "cpython" and python_full_version == "3.11.7" '
                                     'and sys_platform == "linux" and platform_machine == "x86_64"')]
    [locked] = lock.read(path, TARGET)
    assert (locked.name, locked.version, locked.file.url, locked.sha256) == \
        ("demo", Version("1.0"), wheel.url, "a" * 64)
    assert not list(tmp_path.glob(".pylock.toml.*"))  # the temporary file was renamed into place


def test_lock_packages_for_other_environments_are_skipped(tmp_path):
    path = tmp_path / "pylock.toml"
    path.write_text('lock-version = "1.0"\n\n[[packages]]\nname = "winonly"\nversion = "1.0"\n'
                    'marker = "sys_platform == \'win32\'"\n\n[[packages]]\nname = "vcsdep"\nversion = "1.0"\n'
                    '[packages.vcs]\ntype = "git"\nurl = "https://example.org/x.git"\ncommit-id = "abc"\n')
    with pytest.raises(ShipyardError, match="vcsdep 1.0: a vcs source is not supported yet"):
        lock.read(path, TARGET)
    path.write_text(path.read_text().split("[[packages]]\nname = \"vcsdep\"")[0])
    assert lock.read(path, TARGET) == []


def test_html_page_attributes():
    html = ('<a href="../../files/demo-1.0-py3-none-any.whl#sha256=ab" data-requires-python="&gt;=3.8" '
            'data-dist-info-metadata="sha256=cd">demo-1.0-py3-none-any.whl</a>'
            '<a href="demo-0.9.tar.gz" data-yanked="">demo-0.9.tar.gz</a>'
            '<a href="other-1.0.tar.gz">other-1.0.tar.gz</a>'
            '<a href="demo-1.0.exe">demo-1.0.exe</a>')
    files = parse_html_page(canonicalize_name("demo"), html, "https://idx.example/simple/demo/", "idx")
    assert [(f.filename, f.url, f.hashes, f.requires_python, f.yanked, f.metadata) for f in files] == [
        ("demo-1.0-py3-none-any.whl", "https://idx.example/files/demo-1.0-py3-none-any.whl", {"sha256": "ab"},
         ">=3.8", None, {"sha256": "cd"}),
        ("demo-0.9.tar.gz", "https://idx.example/simple/demo/demo-0.9.tar.gz", {}, None, "", None)]


def test_uninstall_follows_record_and_stays_inside_the_target(tmp_path):
    site, outside = tmp_path / "site", tmp_path / "outside.txt"
    (site / "demo" / "__pycache__").mkdir(parents=True)
    (site / "demo" / "__init__.py").write_text("")
    (site / "demo" / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"")
    (site / "demo" / "user-data.txt").write_text("not in RECORD")
    outside.write_text("keep me")
    info = site / "demo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: Demo\nVersion: 1.0\n")
    (info / "RECORD").write_text(f"demo/__init__.py,,\n{outside},,\n../outside.txt,,\ndemo-1.0.dist-info/RECORD,,\n")
    found = scan([site])
    assert found == {"demo": InstalledDist("demo", Version("1.0"), info)}
    uninstall(found["demo"], roots=[site])
    assert outside.read_text() == "keep me"
    assert not info.exists() and not (site / "demo" / "__init__.py").exists()
    assert not (site / "demo" / "__pycache__").exists()
    assert (site / "demo" / "user-data.txt").exists()  # not ours to delete


def test_wheel_names_with_build_tags_and_tag_sets():
    from shipyard.install.finder import _parse_file

    name = canonicalize_name("Demo.Pkg")
    built = _parse_file(name, "demo_pkg-1.0-2b-py2.py3-none-any.whl", "u", "i")
    assert built.version == Version("1.0") and built.tags == {Tag("py2", "none", "any"), Tag("py3", "none", "any")}
    assert _parse_file(name, "other-1.0-py3-none-any.whl", "u", "i") is None
    assert _parse_file(name, "demo_pkg-1.0-py3-any.whl", "u", "i") is None
    assert _parse_file(name, "demo_pkg-notaversion-py3-none-any.whl", "u", "i") is None
    assert _parse_file(name, "Demo.Pkg-1.0.zip", "u", "i").version == Version("1.0")


def test_downloads_retry_transient_failures_and_verify_hashes(monkeypatch, tmp_path):
    import hashlib

    import httpx

    from shipyard.install import download, session

    monkeypatch.setenv("SHIPYARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(session, "backoff", lambda attempt: None)
    monkeypatch.setattr(download, "backoff", lambda attempt: None)
    body = b"wheel bytes"
    answers = iter([httpx.Response(503), httpx.Response(200, content=body)])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/down"):
            raise httpx.ConnectError("refused", request=request)
        return next(answers)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    dist = DistFile("demo-1.0-py3-none-any.whl", "https://x.example/demo-1.0-py3-none-any.whl", "i", Version("1.0"),
                    {"sha256": hashlib.sha256(body).hexdigest()})
    path = download.fetch(http, dist)
    assert path.read_bytes() == body and path.parent.name == dist.sha256
    assert download.fetch(http, dist) == path  # from the cache: the handler has no answers left

    dist.url, dist.hashes = "https://x.example/down", {}
    with pytest.raises(ShipyardError, match="cannot fetch https://x.example/down: refused"):
        download.fetch(http, dist)


def test_credentials_from_the_url_or_netrc(monkeypatch, tmp_path):
    import base64

    import httpx

    from shipyard.install.session import HostAuth, strip_credentials

    (tmp_path / "netrc").write_text("machine files.example login bob password s3cret\n")
    monkeypatch.setenv("NETRC", str(tmp_path / "netrc"))
    auth = HostAuth(["https://__token__:tok%40en@index.example/simple/"])
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.host] = request.headers.get("authorization")
        return httpx.Response(200)

    http = httpx.Client(auth=auth, transport=httpx.MockTransport(handler))
    for url in ("https://index.example/packages/x.whl", "https://files.example/y.whl", "https://other.example/"):
        http.get(url)
    basic = lambda user, password: "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    assert seen == {"index.example": basic("__token__", "tok@en"), "files.example": basic("bob", "s3cret"),
                    "other.example": None}
    assert strip_credentials("https://__token__:x@index.example/simple/") == "https://index.example/simple/"


def test_unknown_api_major_version_and_broken_wheels(tmp_path):
    from shipyard.install.finder import parse_json_page
    from shipyard.install.metadata import wheel_metadata

    with pytest.raises(ShipyardError, match="simple API version 2.0"):
        parse_json_page(canonicalize_name("demo"), {"meta": {"api-version": "2.0"}, "files": []}, "u", "i")
    broken = tmp_path / "demo-1.0-py3-none-any.whl"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ShipyardError, match="not a readable wheel"):
        wheel_metadata(broken)
