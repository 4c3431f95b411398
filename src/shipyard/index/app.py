"""The index as one ASGI application: simple API, files, uploads, JSON API and web pages.

Nothing here assumes one process: state lives in the metadata and blob stores, and the
only per-process memory is a page cache that the store's serials keep correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from shipyard.index import jsonapi, simple
from shipyard.index.auth import Authenticator, Identity, Signer
from shipyard.index.config import Settings
from shipyard.index.store.blobs import LocalBlobStore, blob_key
from shipyard.index.fastpath import SimpleFastPath
from shipyard.index.store.metadata import MetadataStore, SerialReader
from shipyard.index.upload import Incoming, UploadError, accept, check_filename

SESSION_COOKIE = "shipyard_session"
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass
class Index:
    """What every request handler needs: settings, stores, auth and the page cache."""

    settings: Settings
    store: MetadataStore
    blobs: LocalBlobStore
    auth: Authenticator
    signer: Signer
    pages: simple.PageCache
    serials: SerialReader

    @classmethod
    def open(cls, settings: Settings) -> Index:
        settings.data.mkdir(parents=True, exist_ok=True)
        store = MetadataStore(settings.database_url)
        store.create()
        return cls(settings, store, LocalBlobStore(settings.blob_dir), Authenticator(store),
                   Signer(store.secret("session")), simple.PageCache(), SerialReader(store))

    def project_page(self, name: str, found: tuple[int, int], media: str) -> simple.Page:
        """The rendered /simple/<name>/ page for (project id, serial), from the cache when current."""
        project_id, serial = found
        page = self.pages.get(name, media, serial)
        if page is None:
            listing = self.store.listing(project_id)
            if listing is None:  # deleted a moment ago: what the reader saw, without files
                return simple.project_page(name, [], serial, media)
            display_name, serial, rows = listing
            page = simple.project_page(display_name, rows, serial, media)
            self.pages.put(name, media, serial, page)
        return page

    def session_identity(self, request: Request) -> Identity | None:
        user_id = self.signer.unsign(request.cookies.get(SESSION_COOKIE))
        if user_id is None:
            return None
        row = self.store.user(user_id=int(user_id))
        return Identity(row["id"], row["name"], None, via="session") if row else None


def _index(request: Request) -> Index:
    return request.app.state.index


def _base_url(request: Request) -> str:
    return str(request.base_url)


# --- simple API ---------------------------------------------------------------------------


def _negotiated(request: Request) -> str | None:
    return simple.negotiate(request.headers.get("accept"), request.query_params.get("format"))


def _send_page(request: Request, page: simple.Page) -> Response:
    headers = {"ETag": page.etag, "Vary": "Accept", "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == page.etag:
        return Response(status_code=304, headers=headers)
    content_type = page.media_type + ("; charset=utf-8" if page.media_type == simple.TEXT_HTML else "")
    return Response(page.body, headers={**headers, "Content-Type": content_type})


def _not_acceptable() -> Response:
    return PlainTextResponse("Not Acceptable: ask for one of " + ", ".join(simple.SUPPORTED), status_code=406)


async def simple_index(request: Request) -> Response:
    media = _negotiated(request)
    if media is None:
        return _not_acceptable()
    index = _index(request)
    serial = index.store.serial()
    page = index.pages.get("", media, serial)
    if page is None:
        serial, names = await run_in_threadpool(index.store.project_names)
        page = simple.index_page(names, serial, media)
        index.pages.put("", media, serial, page)
    return _send_page(request, page)


async def simple_project(request: Request) -> Response:
    raw = request.path_params["name"]
    name = canonicalize_name(raw)
    if raw != name or not request.url.path.endswith("/"):
        return _redirect_renamed(request, raw, name)
    media = _negotiated(request)
    if media is None:
        return _not_acceptable()
    index = _index(request)
    found = index.serials.get(name)
    if found is None:
        return PlainTextResponse(f"Not Found: no project {name!r}", status_code=404)
    return _send_page(request, index.project_page(name, found, media))


def _redirect_renamed(request: Request, raw: str, name: str) -> Response:
    path = request.url.path
    stem = path[: path.rstrip("/").rfind("/") + 1]
    target = request.url.replace(path=f"{stem}{name}/")
    return RedirectResponse(str(target), status_code=301)


# --- files --------------------------------------------------------------------------------


async def package_file(request: Request) -> Response:
    sha256, filename = request.path_params["sha256"], request.path_params["filename"]
    path = _index(request).blobs.path(blob_key(sha256, filename))
    if path is None:
        return PlainTextResponse("Not Found", status_code=404)
    etag = f'"{sha256}{"-m" if filename.endswith(".metadata") else ""}"'
    headers = {"Cache-Control": IMMUTABLE, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    media = "text/plain; charset=utf-8" if filename.endswith(".metadata") else "application/octet-stream"
    return FileResponse(path, headers=headers, media_type=media)


# --- uploads ------------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


def _limited(receive, limit: int):
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise _TooLarge
        return message

    return wrapped


def _unauthorized(message: str) -> Response:
    return PlainTextResponse(message, status_code=401, headers={"WWW-Authenticate": 'Basic realm="shipyard"'})


async def legacy_upload(request: Request) -> Response:
    index = _index(request)
    identity = await run_in_threadpool(index.auth.basic, request.headers.get("authorization"))
    if identity is None:
        return _unauthorized("Invalid or non-existent authentication information: "
                             "give a user name and password, or __token__ and an API token")
    limit = index.settings.max_upload + 1024 * 1024  # the file plus the form around it
    if int(request.headers.get("content-length") or 0) > limit:
        return PlainTextResponse(f"File too large: the limit is {index.settings.max_upload} bytes", status_code=413)
    request = Request(request.scope, _limited(request.receive, limit))
    try:
        form = await request.form(max_files=4, max_fields=1000, max_part_size=1024 * 1024)
    except _TooLarge:
        return PlainTextResponse(f"File too large: the limit is {index.settings.max_upload} bytes", status_code=413)
    except Exception as exc:  # python-multipart and starlette raise several kinds
        return PlainTextResponse(f"Malformed upload: the body is not a valid multipart form ({exc})", status_code=400)
    try:
        content = form.get("content")
        if content is None or isinstance(content, str):
            return PlainTextResponse("Invalid upload: no file in the 'content' field", status_code=400)
        if (content.size or 0) > index.settings.max_upload:
            return PlainTextResponse(f"File too large: the limit is {index.settings.max_upload} bytes", status_code=413)
        fields = {key: value for key, value in form.multi_items() if isinstance(value, str)}
        try:
            filename = content.filename or ""
            check_filename(filename)
            message = await run_in_threadpool(_store_upload, index, identity, fields, filename, content.file)
        except UploadError as exc:
            return PlainTextResponse(exc.message, status_code=exc.status)
    finally:
        await form.close()
    return PlainTextResponse(message)


def _store_upload(index: Index, identity: Identity, fields: dict, filename: str, stream) -> str:
    import shutil

    with index.blobs.spool() as scratch:
        path = Path(scratch) / filename
        stream.seek(0)
        with open(path, "wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        return accept(index.store, index.blobs, identity, Incoming(fields, filename, path),
                      max_unpacked=max(index.settings.max_upload * 20, 256 * 1024 * 1024))


# --- JSON API -----------------------------------------------------------------------------


async def project_json(request: Request) -> Response:
    raw = request.path_params["name"]
    version = request.path_params.get("version")
    index = _index(request)
    name = canonicalize_name(raw)
    project = index.store.project(name)
    if project is None:
        return JSONResponse({"message": "Not Found"}, status_code=404)
    if raw != name:
        suffix = f"{version}/json" if version else "json"
        return RedirectResponse(str(request.url.replace(path=f"{request.url.path.split('/pypi/')[0]}/pypi/{name}/{suffix}")), 301)
    releases = index.store.releases(project["id"])
    files = index.store.project_files(project["id"])
    document = jsonapi.project_json(project, releases, files, _base_url(request), version)
    if document is None:
        return JSONResponse({"message": "Not Found"}, status_code=404)
    return JSONResponse(document, headers={"X-PyPI-Last-Serial": str(project["serial"]), "Cache-Control": "no-cache"})


async def health(request: Request) -> Response:
    return PlainTextResponse("OK")


# --- private mode ---------------------------------------------------------------------------


class PrivateGate:
    """ASGI middleware: in private mode every request needs credentials (Basic or session)."""

    OPEN = ("/login", "/static/", "/health")

    def __init__(self, app, index: Index):
        self.app = app
        self.index = index

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(self.OPEN):
            return await self.app(scope, receive, send)
        request = Request(scope)
        identity = await run_in_threadpool(self.index.auth.basic, request.headers.get("authorization"))
        if identity is None:
            identity = self.index.session_identity(request)
        if identity is None:
            if request.method == "GET" and "text/html" in request.headers.get("accept", "") and \
                    not scope["path"].startswith(("/simple", "/packages", "/pypi")):
                response: Response = RedirectResponse("/login", status_code=303)
            else:
                response = _unauthorized("Authentication required: this index is private")
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)


def create_app(settings: Settings) -> Starlette:
    """The ASGI application for one index."""
    from shipyard.index.web import views

    index = Index.open(settings)
    routes = [
        Route("/simple/", simple_index),
        Route("/simple/{name}/", simple_project),
        Route("/simple/{name}", simple_project),
        Route("/packages/{sha256}/{filename}", package_file),
        Route("/legacy/", legacy_upload, methods=["POST"]),
        Route("/legacy", legacy_upload, methods=["POST"]),
        Route("/pypi/{name}/json", project_json),
        Route("/pypi/{name}/{version}/json", project_json),
        Route("/health", health),
        *views.routes(),
        Mount("/static", views.static_files(), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.index = index
    app.add_middleware(SimpleFastPath, index=index)
    if settings.private:
        app.add_middleware(PrivateGate, index=index)
    return app


def app_from_env() -> Starlette:
    """Factory for uvicorn workers: settings come from the environment (see config.ENV_VAR)."""
    return create_app(Settings.from_env())
