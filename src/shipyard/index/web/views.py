"""Web pages: home with search and latest uploads, project and release pages, login, tokens."""

from __future__ import annotations

from pathlib import Path

from packaging.utils import canonicalize_name, canonicalize_version
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from shipyard.index import jsonapi
from shipyard.index.auth import create_token

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["filesize"] = lambda n: f"{n / 1024:.1f} kB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"


def static_files() -> StaticFiles:
    return StaticFiles(directory=str(HERE / "static"))


def _context(request: Request, **values) -> dict:
    from shipyard.index.app import SESSION_COOKIE

    index = request.app.state.index
    user = index.session_identity(request)
    session = request.cookies.get(SESSION_COOKIE, "")
    return {"request": request, "user": user, "csrf": index.signer.csrf(session) if user else "", **values}


def _page(request: Request, template: str, status: int = 200, **values) -> Response:
    return templates.TemplateResponse(request, template, _context(request, **values), status_code=status)


async def home(request: Request) -> Response:
    store = request.app.state.index.store
    query = request.query_params.get("q", "").strip()
    results = store.list_projects(query, limit=100) if query else None
    return _page(request, "home.html", query=query, results=results, latest=store.latest_uploads(10))


async def project(request: Request) -> Response:
    index = request.app.state.index
    raw = request.path_params["name"]
    name = canonicalize_name(raw)
    version = request.path_params.get("version")
    if raw != name:
        return RedirectResponse(f"/project/{name}/" + (f"{version}/" if version else ""), status_code=301)
    row = index.store.project(name)
    if row is None:
        return _page(request, "error.html", status=404, message=f"There is no project named {raw!r}.")
    releases = index.store.releases(row["id"])
    if version is None:
        release = jsonapi.latest(releases)
    else:
        wanted = canonicalize_version(version, strip_trailing_zero=False)
        release = next((r for r in releases if r["canonical_version"] == wanted), None)
    if release is None:
        return _page(request, "error.html", status=404, message=f"{row['display_name']} has no version {version!r}.")
    files = [f for f in index.store.project_files(row["id"]) if f["release_id"] == release["id"]]
    ordered = sorted(releases, key=lambda r: jsonapi.sort_key(r["version"]), reverse=True)
    pinned = version is not None or release["yanked"]
    return _page(request, "project.html", project=row, release=release, info=release["info"], files=files,
                 releases=ordered, roles=index.store.project_roles(row["id"]),
                 install=f"pip install {row['display_name']}" + (f"=={release['version']}" if pinned else ""),
                 index_url=str(request.base_url) + "simple/")


async def login(request: Request) -> Response:
    from shipyard.index.app import SESSION_COOKIE

    index = request.app.state.index
    if request.method == "GET":
        return _page(request, "login.html", error=None)
    form = await request.form(max_files=0, max_fields=10)
    user = str(form.get("username", ""))
    identity = await run_in_threadpool(index.auth.password, user, str(form.get("password", "")))
    if identity is None:
        return _page(request, "login.html", status=401, error="Wrong user name or password.")
    response = RedirectResponse("/account/tokens", status_code=303)
    response.set_cookie(SESSION_COOKIE, index.signer.sign(str(identity.user_id)), max_age=14 * 24 * 3600,
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return response


async def logout(request: Request) -> Response:
    from shipyard.index.app import SESSION_COOKIE

    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


async def tokens(request: Request) -> Response:
    index = request.app.state.index
    ctx = _context(request)
    user = ctx["user"]
    if user is None:
        return RedirectResponse("/login", status_code=303)
    created = None
    error = None
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=10)
        if form.get("csrf") != ctx["csrf"]:
            return _page(request, "error.html", status=403, message="The form expired; reload the page and try again.")
        if form.get("revoke"):
            index.store.revoke_token(str(form["revoke"]), user_id=user.user_id)
        else:
            project_name = str(form.get("project", "")).strip() or None
            try:
                created = create_token(index.store, user.user, project_name, str(form.get("description", ""))[:200])
            except (LookupError, PermissionError) as exc:
                error = str(exc.args[0])
    mine = [t for t in index.store.list_tokens(user.user_id) if not t["revoked"]]
    return _page(request, "tokens.html", status=400 if error else 200, tokens=mine, created=created, error=error)


def routes() -> list[Route]:
    return [
        Route("/", home),
        Route("/project/{name}/", project),
        Route("/project/{name}/{version}/", project),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/account/tokens", tokens, methods=["GET", "POST"]),
    ]


