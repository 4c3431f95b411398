"""The simple repository API: PEP 503 HTML and PEP 691 JSON, negotiated, cached by serial.

Pages carry PEP 629's api-version, PEP 592 yanking, PEP 658/714 metadata hashes and
PEP 700's versions, size and upload-time. File URLs are relative (``../../packages/...``),
so the same pages work behind a path prefix and as a static export.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

API_VERSION = "1.1"
TEXT_HTML = "text/html"
V1_HTML = "application/vnd.pypi.simple.v1+html"
V1_JSON = "application/vnd.pypi.simple.v1+json"
SUPPORTED = (V1_JSON, V1_HTML, TEXT_HTML)
_ALIASES = {"json": V1_JSON, "html": V1_HTML}


def negotiate(accept: str | None, format_param: str | None = None) -> str | None:
    """The media type to answer with, or None when nothing acceptable is offered (406).

    ``?format=`` wins over the Accept header, as on PyPI.
    """
    if format_param:
        format_param = format_param.strip().replace(" ", "+")  # an unescaped + in a query is a space
        wanted = _ALIASES.get(format_param, format_param)
        return wanted if wanted in SUPPORTED else None
    if not accept:
        return TEXT_HTML
    offers: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            offers.append((-quality, position, media.lower()))
    for _, _, media in sorted(offers):
        if media in SUPPORTED:
            return media
        if media in ("*/*", "text/*"):
            return TEXT_HTML
        if media == "application/*":
            return V1_JSON
    return None


@dataclass(frozen=True)
class Page:
    """A rendered page: body, media type and a strong ETag."""

    body: bytes
    media_type: str
    etag: str


def _page(body: str, media_type: str) -> Page:
    data = body.encode()
    return Page(data, media_type, '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"')


def file_url(row: dict) -> str:
    return f"../../packages/{row['sha256']}/{row['filename']}"


def index_page(names: list[tuple[str, str, int]], serial: int, media_type: str) -> Page:
    """The /simple/ page listing every project: (name, display name, serial) each."""
    if media_type == V1_JSON:
        body = json.dumps({
            "meta": {"api-version": API_VERSION, "_last-serial": serial},
            "projects": [{"name": display, "_last-serial": last} for _, display, last in names],
        }, separators=(",", ":"))
        return _page(body, media_type)
    links = "\n".join(f'    <a href="{name}/">{html.escape(display)}</a>' for name, display, _ in names)
    body = (
        "<!DOCTYPE html>\n<html>\n  <head>\n"
        f'    <meta name="pypi:repository-version" content="{API_VERSION}">\n'
        "    <title>Simple index</title>\n  </head>\n  <body>\n"
        f"{links}\n  </body>\n</html>\n"
    )
    return _page(body, media_type)


def _versions(rows: list[dict]) -> list[str]:
    seen: dict[str, Version | None] = {}
    for row in rows:
        try:
            seen[row["version"]] = Version(row["version"])
        except InvalidVersion:
            seen[row["version"]] = None
    return sorted(seen, key=lambda v: (seen[v] is not None, seen[v] or Version("0")))


def project_page(display_name: str, rows: list[dict], serial: int, media_type: str) -> Page:
    """The /simple/<project>/ page: every file with hashes, metadata and yank state."""
    if media_type == V1_JSON:
        files = []
        for row in rows:
            metadata = {"sha256": row["metadata_sha256"]} if row["metadata_sha256"] else False
            entry = {
                "filename": row["filename"],
                "url": file_url(row),
                "hashes": {"sha256": row["sha256"]},
                "requires-python": row["requires_python"],
                "core-metadata": metadata,
                "dist-info-metadata": metadata,
                "size": row["size"],
                "upload-time": row["upload_time"],
                "yanked": (row["yanked_reason"] or True) if row["yanked"] else False,
            }
            if entry["requires-python"] is None:
                del entry["requires-python"]
            files.append(entry)
        body = json.dumps({
            "meta": {"api-version": API_VERSION, "_last-serial": serial},
            "name": display_name,
            "versions": _versions(rows),
            "files": files,
        }, separators=(",", ":"))
        return _page(body, media_type)
    links = []
    for row in rows:
        attributes = [f'href="{file_url(row)}#sha256={row["sha256"]}"']
        if row["requires_python"]:
            attributes.append(f'data-requires-python="{html.escape(row["requires_python"])}"')
        if row["metadata_sha256"]:
            attributes.append(f'data-dist-info-metadata="sha256={row["metadata_sha256"]}"')
            attributes.append(f'data-core-metadata="sha256={row["metadata_sha256"]}"')
        if row["yanked"]:
            attributes.append(f'data-yanked="{html.escape(row["yanked_reason"] or "")}"')
        links.append(f'    <a {" ".join(attributes)}>{html.escape(row["filename"])}</a><br />')
    title = html.escape(display_name)
    body = (
        "<!DOCTYPE html>\n<html>\n  <head>\n"
        f'    <meta name="pypi:repository-version" content="{API_VERSION}">\n'
        f"    <title>Links for {title}</title>\n  </head>\n  <body>\n"
        f"    <h1>Links for {title}</h1>\n" + "\n".join(links) + "\n  </body>\n</html>\n"
    )
    return _page(body, media_type)


class PageCache:
    """Rendered pages per (project, media type), valid while the project's serial holds."""

    def __init__(self, limit: int = 20_000):
        self.limit = limit
        self._pages: dict[tuple[str, str], tuple[int, Page]] = {}

    def get(self, name: str, media_type: str, serial: int) -> Page | None:
        hit = self._pages.get((name, media_type))
        return hit[1] if hit and hit[0] == serial else None

    def put(self, name: str, media_type: str, serial: int, page: Page) -> None:
        if len(self._pages) >= self.limit:
            self._pages.clear()
        self._pages[(name, media_type)] = (serial, page)
