"""The simple API, files and JSON API as clients see them over HTTP (PEP 503/691/629/592/658/700)."""

from __future__ import annotations

import hashlib
import json

import httpx
import index_dists
import pytest

V1_JSON = "application/vnd.pypi.simple.v1+json"
V1_HTML = "application/vnd.pypi.simple.v1+html"


@pytest.fixture(scope="module")
def published(index_server, tmp_path_factory):
    """Project Simple.Demo with 1.0 (wheel + sdist) and 2.0 (wheel, yanked with a reason)."""
    out = tmp_path_factory.mktemp("simple-dists")
    files = [
        index_dists.wheel(out, "Simple.Demo", "1.0", requires_python=">=3.8", readme="# Simple demo\n\nHello *world*."),
        index_dists.sdist(out, "Simple.Demo", "1.0", requires_python=">=3.8"),
        index_dists.wheel(out, "Simple.Demo", "2.0", requires_python=">=3.8"),
    ]
    for path in files:
        response = index_server.upload(path, index_server.alice_token)
        assert response.status_code == 200, response.text
    index_server.cli("project", "yank", "simple-demo", "2.0", "--reason", "broken <build>")
    return {p.name: p for p in files}


def get(server, path: str, **kwargs) -> httpx.Response:
    return httpx.get(server.url + path, timeout=10, **kwargs)


def test_project_page_html(index_server, published) -> None:
    response = get(index_server, "/simple/simple-demo/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    body = response.text
    assert '<meta name="pypi:repository-version" content="1.1">' in body
    wheel = published["simple_demo-1.0-py3-none-any.whl"]
    sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert f'href="../../packages/{sha}/{wheel.name}#sha256={sha}"' in body
    assert 'data-requires-python="&gt;=3.8"' in body
    assert 'data-yanked="broken &lt;build&gt;"' in body
    metadata = get(index_server, f"/packages/{sha}/{wheel.name}.metadata")
    meta_sha = hashlib.sha256(metadata.content).hexdigest()
    assert f'data-core-metadata="sha256={meta_sha}"' in body
    assert f'data-dist-info-metadata="sha256={meta_sha}"' in body
    assert metadata.content.startswith(b"Metadata-Version: 2.1\nName: Simple.Demo")
    # sdists get no PEP 658 file: their PKG-INFO may leave fields dynamic
    sdist_line = next(line for line in body.splitlines() if ".tar.gz" in line)
    assert "data-core-metadata" not in sdist_line


def test_project_page_json(index_server, published) -> None:
    response = get(index_server, "/simple/simple-demo/", headers={"Accept": V1_JSON})
    assert response.headers["content-type"] == V1_JSON
    assert response.headers["vary"] == "Accept"
    page = response.json()
    assert page["meta"]["api-version"] == "1.1"
    assert page["name"] == "Simple.Demo"
    assert page["versions"] == ["1.0", "2.0"]
    files = {f["filename"]: f for f in page["files"]}
    wheel = files["simple_demo-2.0-py3-none-any.whl"]
    assert wheel["yanked"] == "broken <build>"
    assert files["simple_demo-1.0-py3-none-any.whl"]["yanked"] is False
    assert wheel["requires-python"] == ">=3.8"
    assert wheel["size"] == published["simple_demo-2.0-py3-none-any.whl"].stat().st_size
    assert wheel["upload-time"].endswith("Z") and "T" in wheel["upload-time"]
    assert wheel["core-metadata"] == wheel["dist-info-metadata"] and "sha256" in wheel["core-metadata"]
    assert files["simple_demo-1.0.tar.gz"]["core-metadata"] is False
    assert wheel["hashes"]["sha256"] == hashlib.sha256(published["simple_demo-2.0-py3-none-any.whl"].read_bytes()).hexdigest()


@pytest.mark.parametrize(("accept", "query", "expected"), [
    (None, "", "text/html"),
    ("*/*", "", "text/html"),
    (f"{V1_JSON}, {V1_HTML};q=0.2, text/html;q=0.01", "", V1_JSON),
    (f"{V1_JSON};q=0.1, {V1_HTML}", "", V1_HTML),
    ("text/html", f"?format={V1_JSON}", V1_JSON),
    (V1_JSON, "?format=text/html", "text/html"),
])
def test_content_negotiation(index_server, published, accept, query, expected) -> None:
    headers = {"Accept": accept} if accept else {}
    response = get(index_server, "/simple/simple-demo/" + query, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


def test_unacceptable_format_is_406(index_server, published) -> None:
    assert get(index_server, "/simple/simple-demo/", headers={"Accept": "image/png"}).status_code == 406
    assert get(index_server, "/simple/simple-demo/?format=application/xml").status_code == 406


@pytest.mark.parametrize("path", ["/simple/Simple.Demo/", "/simple/simple_demo/", "/simple/SIMPLE-demo", "/simple/simple-demo"])
def test_non_normalized_names_redirect(index_server, published, path) -> None:
    response = get(index_server, path + "?format=" + V1_JSON)
    assert response.status_code == 301
    assert response.headers["location"] == f"{index_server.url}/simple/simple-demo/?format={V1_JSON}".replace("/", "/")


def test_index_page_and_404(index_server, published) -> None:
    html = get(index_server, "/simple/").text
    assert '<a href="simple-demo/">Simple.Demo</a>' in html
    page = get(index_server, "/simple/", headers={"Accept": V1_JSON}).json()
    assert {"name": "Simple.Demo"}.items() <= next(p for p in page["projects"] if p["name"] == "Simple.Demo").items()
    assert get(index_server, "/simple/no-such-project/").status_code == 404


def test_pages_have_etags(index_server, published) -> None:
    first = get(index_server, "/simple/simple-demo/")
    etag = first.headers["etag"]
    again = get(index_server, "/simple/simple-demo/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    json_etag = get(index_server, "/simple/simple-demo/", headers={"Accept": V1_JSON}).headers["etag"]
    assert json_etag != etag
    index_server.cli("project", "unyank", "simple-demo", "2.0")
    try:
        changed = get(index_server, "/simple/simple-demo/", headers={"If-None-Match": etag})
        assert changed.status_code == 200 and "data-yanked" not in changed.text
    finally:
        index_server.cli("project", "yank", "simple-demo", "2.0", "--reason", "broken <build>")


def test_files_are_immutable_with_etag_and_range(index_server, published) -> None:
    wheel = published["simple_demo-1.0-py3-none-any.whl"]
    data = wheel.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    url = f"/packages/{sha}/{wheel.name}"
    response = get(index_server, url)
    assert response.content == data
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["etag"] == f'"{sha}"'
    assert get(index_server, url, headers={"If-None-Match": f'"{sha}"'}).status_code == 304
    partial = get(index_server, url, headers={"Range": "bytes=10-19"})
    assert partial.status_code == 206 and partial.content == data[10:20]
    assert partial.headers["content-range"] == f"bytes 10-19/{len(data)}"
    assert get(index_server, f"/packages/{sha}/other-1.0-py3-none-any.whl").status_code == 404
    assert get(index_server, f"/packages/{sha}/..%2f..%2fetc%2fpasswd").status_code == 404


def test_json_api(index_server, published) -> None:
    document = get(index_server, "/pypi/simple-demo/json").json()
    assert set(document) == {"info", "last_serial", "releases", "urls", "vulnerabilities"}
    assert document["vulnerabilities"] == []
    info = document["info"]
    assert info["name"] == "Simple.Demo" and info["version"] == "1.0"  # 2.0 is yanked
    assert info["requires_python"] == ">=3.8" and info["description"].startswith("# Simple demo")
    assert set(document["releases"]) == {"1.0", "2.0"}
    assert {u["packagetype"] for u in document["urls"]} == {"bdist_wheel", "sdist"}
    url = document["urls"][0]
    assert set(url["digests"]) == {"md5", "sha256", "blake2b_256"}
    assert url["url"].startswith(index_server.url + "/packages/")
    assert httpx.get(url["url"]).status_code == 200
    release = get(index_server, "/pypi/Simple.Demo/2.0/json", follow_redirects=True).json()
    assert release["info"]["version"] == "2.0" and release["info"]["yanked"] is True
    assert release["info"]["yanked_reason"] == "broken <build>" and "releases" not in release
    assert get(index_server, "/pypi/simple-demo/9.9/json").status_code == 404
    assert get(index_server, "/pypi/nothing-here/json").status_code == 404
    json.dumps(document)
