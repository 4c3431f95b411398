"""The simple API's hot path as bare ASGI: ``GET /simple/<normalized>/`` from the page cache.

It answers exactly what the Starlette route would (same negotiation, pages, ETags), minus
routing and response objects, and passes every other request on untouched.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from shipyard.index import simple

_NORMALIZED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class SimpleFastPath:
    """ASGI middleware serving cached /simple/<project>/ pages."""

    def __init__(self, app, index):
        self.app = app
        self.index = index
        self._negotiated: dict[tuple[bytes, bytes], str | None] = {}

    def _media(self, accept: bytes, query: bytes) -> str | None:
        key = (accept, query)
        try:
            return self._negotiated[key]
        except KeyError:
            fmt = parse_qs(query.decode("latin-1")).get("format", [None])[0] if query else None
            media = simple.negotiate(accept.decode("latin-1") or None, fmt)
            if len(self._negotiated) > 1000:
                self._negotiated.clear()
            self._negotiated[key] = media
            return media

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        path = scope["path"]
        if not (path.startswith("/simple/") and path.endswith("/")) or scope.get("root_path"):
            return await self.app(scope, receive, send)
        name = path[8:-1]
        if not _NORMALIZED.fullmatch(name):
            return await self.app(scope, receive, send)
        accept = etag = b""
        for key, value in scope["headers"]:
            if key == b"accept":
                accept = value
            elif key == b"if-none-match":
                etag = value
        media = self._media(accept, scope["query_string"])
        found = self.index.serials.get(name) if media else None
        if found is None:  # 404 and 406 are the route's to word
            return await self.app(scope, receive, send)
        page = self.index.project_page(name, found, media)
        headers = [(b"etag", page.etag.encode()), (b"vary", b"Accept"), (b"cache-control", b"no-cache")]
        if etag and etag.decode("latin-1") == page.etag:
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return None
        content_type = page.media_type + ("; charset=utf-8" if page.media_type == simple.TEXT_HTML else "")
        headers += [(b"content-type", content_type.encode()), (b"content-length", str(len(page.body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else page.body})
        return None
