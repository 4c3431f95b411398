"""Find a project's files on indexes (PEP 503 HTML / PEP 691 JSON) and pick one per version.

Indexes are asked in order and the first that knows a project answers for it (no mixing of
indexes per project, so an extra index cannot shadow a private name). A version is usable
when it is not yanked (unless pinned with ``==``), its Requires-Python admits the target,
and it has a wheel for the target's tags (the most specific wins) or an sdist.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag, parse_tag
from packaging.utils import (
    InvalidSdistFilename,
    NormalizedName,
    canonicalize_name,
    parse_sdist_filename,
)
from packaging.version import InvalidVersion, Version
from shipyard_core.errors import ShipyardError

from shipyard.install.session import get, strip_credentials
from shipyard.install.target import Target

ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"


class ProjectNotFound(ShipyardError):
    """No index has a project of this name."""


@dataclass
class DistFile:
    """One file of a project on an index, as the index describes it."""

    filename: str
    url: str
    index: str
    version: Version
    hashes: dict[str, str] = field(default_factory=dict)
    requires_python: str | None = None
    yanked: str | None = None  # None: not yanked; otherwise the reason ("" if none given)
    metadata: dict[str, str] | None = None  # PEP 658: None if no .metadata file, else its hashes
    size: int | None = None
    upload_time: str | None = None
    tags: frozenset[Tag] = frozenset()

    @property
    def is_wheel(self) -> bool:
        return self.filename.endswith(".whl")

    @property
    def sha256(self) -> str | None:
        return self.hashes.get("sha256")


@dataclass
class Release:
    """The file chosen for one version, or why none was."""

    version: Version
    file: DistFile | None
    yanked: str | None
    reason: str | None  # why the version cannot be used (None: usable)


@functools.lru_cache(maxsize=8192)
def _tags(text: str) -> frozenset[Tag]:
    return frozenset(parse_tag(text))


@functools.lru_cache(maxsize=8192)
def _version(text: str) -> Version:
    return Version(text)


def _join(base: str, url: str) -> str:
    return url if url.startswith(("https://", "http://")) else urljoin(base, url)


def _parse_file(name: NormalizedName, filename: str, url: str, index: str) -> DistFile | None:
    """A file named as a wheel or sdist of this project (others, like .egg or .exe, are None).

    Wheel names are split by hand with cached tag and version parsing: a popular project
    lists thousands of wheels that share a few dozen tag sets.
    """
    try:
        if filename.endswith(".whl"):
            parts = filename[:-4].split("-")
            if len(parts) not in (5, 6):
                return None
            project, version, tags = parts[0], _version(parts[1]), _tags("-".join(parts[-3:]))
        elif filename.endswith((".tar.gz", ".zip")):
            project, version = parse_sdist_filename(filename)
            tags = frozenset()
        else:
            return None
    except (InvalidSdistFilename, InvalidVersion):
        return None
    if canonicalize_name(project) != name:
        return None
    return DistFile(filename=filename, url=url, index=index, version=version, tags=frozenset(tags))


def _hashes_of(value: object) -> dict[str, str] | None:
    """PEP 691 `core-metadata` (true / {hashes}) or PEP 658/714 attribute text ("true" / "sha256=...")."""
    if value is None or value is False or value == "false":
        return None
    if isinstance(value, dict):
        return {k: str(v) for k, v in value.items()}
    if isinstance(value, str) and "=" in value:
        algorithm, _, digest = value.partition("=")
        return {algorithm: digest}
    return {}


def parse_json_page(name: NormalizedName, page: dict, base: str, index: str) -> list[DistFile]:
    """Files from a PEP 691 JSON project page (API version 1.x, PEP 629)."""
    version = str(page.get("meta", {}).get("api-version", "1.0"))
    if version.split(".")[0] != "1":
        raise ShipyardError(f"{base} speaks simple API version {version}; shipyard knows 1.x")
    files = []
    for item in page.get("files", []):
        dist = _parse_file(name, item["filename"], _join(base, item["url"]), index)
        if dist is None:
            continue
        dist.hashes = dict(item.get("hashes") or {})
        dist.requires_python = item.get("requires-python") or None
        yanked = item.get("yanked", False)
        dist.yanked = (yanked if isinstance(yanked, str) else "") if yanked else None
        # PEP 714's name, PEP 658's, and the one PyPI's JSON used for a while
        metadata = next((item[k] for k in ("core-metadata", "dist-info-metadata", "data-dist-info-metadata")
                         if k in item), None)
        dist.metadata = _hashes_of(metadata)
        dist.size = item.get("size")
        dist.upload_time = item.get("upload-time")
        files.append(dist)
    return files


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[tuple[dict[str, str | None], str]] = []
        self._current: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._current, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._current is not None:
            self.anchors.append((self._current, "".join(self._text).strip()))
            self._current = None


def parse_html_page(name: NormalizedName, html: str, base: str, index: str) -> list[DistFile]:
    """Files from a PEP 503 HTML project page (hash in the URL fragment, data-* attributes)."""
    parser = _Anchors()
    parser.feed(html)
    files = []
    for attrs, text in parser.anchors:
        href = attrs.get("href")
        if not href:
            continue
        url, _, fragment = _join(base, href).partition("#")
        filename = text or urlsplit(url).path.rsplit("/", 1)[-1]
        dist = _parse_file(name, filename, url, index)
        if dist is None:
            continue
        if "=" in fragment:
            algorithm, _, digest = fragment.partition("=")
            dist.hashes = {algorithm: digest}
        dist.requires_python = attrs.get("data-requires-python") or None
        if "data-yanked" in attrs:
            dist.yanked = attrs["data-yanked"] or ""
        dist.metadata = _hashes_of(attrs.get("data-core-metadata", attrs.get("data-dist-info-metadata")))
        files.append(dist)
    return files


class Finder:
    """Project pages from the indexes (fetched once each, in the background on request)."""

    def __init__(self, http: httpx.Client, index_urls: list[str], target: Target):
        if not index_urls:
            raise ShipyardError("no index to install from (give --index-url)")
        self.http = http
        self.index_urls = [url if url.endswith("/") else url + "/" for url in index_urls]
        self.target = target
        self.priority = target.tag_priority()
        self._pages: dict[NormalizedName, Future[list[DistFile]]] = {}
        self._releases: dict[NormalizedName, list[Release]] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="shipyard-find")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def prefetch(self, names: Iterable[str]) -> None:
        """Start fetching these projects' pages."""
        with self._lock:
            for name in map(canonicalize_name, names):
                if name not in self._pages:
                    self._pages[name] = self._pool.submit(self._fetch, name)

    def files(self, name: str) -> list[DistFile]:
        """All files of a project on the first index that has it (an error if none has it)."""
        self.prefetch([name])
        return self._pages[canonicalize_name(name)].result()

    def _fetch(self, name: NormalizedName) -> list[DistFile]:
        for index in self.index_urls:
            url = f"{index}{name}/"
            response = get(self.http, url, headers={"Accept": ACCEPT})
            if response.status_code == 404:
                continue
            base = str(response.url)
            content_type = response.headers.get("content-type", "").split(";")[0].strip()
            if content_type == "application/vnd.pypi.simple.v1+json":
                try:
                    return parse_json_page(name, response.json(), base, strip_credentials(index))
                except (ValueError, KeyError, TypeError) as exc:
                    raise ShipyardError(f"{strip_credentials(url)} answered malformed JSON: {exc}") from None
            return parse_html_page(name, response.text, base, strip_credentials(index))
        shown = ", ".join(strip_credentials(i) for i in self.index_urls)
        raise ProjectNotFound(f"no project named '{name}' on {shown}")

    def releases(self, name: str) -> list[Release]:
        """Every version, newest first, with its best file for the target or why it has none."""
        name = canonicalize_name(name)
        if name not in self._releases:
            by_version: dict[Version, list[DistFile]] = {}
            for dist in self.files(name):
                by_version.setdefault(dist.version, []).append(dist)
            self._releases[name] = [self._choose(v, by_version[v]) for v in sorted(by_version, reverse=True)]
        return self._releases[name]

    def _choose(self, version: Version, files: list[DistFile]) -> Release:
        live = [f for f in files if f.yanked is None]
        yanked = None if live else (files[0].yanked or "")
        pool = live or files
        python = Version(self.target.python_version)
        admitted = [f for f in pool if _admits(f.requires_python, python)]
        if not admitted:
            return Release(version, None, yanked, f"requires Python {pool[0].requires_python}")
        wheels = [(min(self.priority[t] for t in f.tags if t in self.priority), f)
                  for f in admitted if f.is_wheel and any(t in self.priority for t in f.tags)]
        if wheels:
            return Release(version, min(wheels, key=lambda pair: pair[0])[1], yanked, None)
        sdists = [f for f in admitted if not f.is_wheel]
        if sdists:
            return Release(version, sdists[0], yanked, None)
        shown = ", ".join(sorted(f.filename for f in admitted))
        return Release(version, None, yanked, f"no wheel for this interpreter ({shown}) and no sdist")


@functools.lru_cache(maxsize=4096)
def _admits(requires_python: str | None, python: Version) -> bool:
    if not requires_python:
        return True
    try:
        return SpecifierSet(requires_python).contains(python, prereleases=True)
    except InvalidSpecifier:
        return True
