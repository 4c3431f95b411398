"""One HTTP client for everything install fetches: credentials per host, clear errors."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx
from shipyard_core.errors import ShipyardError

from shipyard import __version__


def strip_credentials(url: str) -> str:
    """The URL without `user:password@` (safe to print and to write into a lock file)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class HostAuth(httpx.Auth):
    """Basic auth for every request to a host whose index URL carried `user:password@`."""

    def __init__(self, index_urls: Iterable[str]):
        self.credentials: dict[str, tuple[str, str]] = {}
        for url in index_urls:
            parts = urlsplit(url)
            if parts.username is not None:
                self.credentials[parts.hostname or ""] = (unquote(parts.username), unquote(parts.password or ""))

    def auth_flow(self, request: httpx.Request):
        user = self.credentials.get(request.url.host)
        if user and "Authorization" not in request.headers:
            token = base64.b64encode(f"{user[0]}:{user[1]}".encode()).decode()
            request.headers["Authorization"] = f"Basic {token}"
        yield request


def client(index_urls: Iterable[str]) -> httpx.Client:
    """A client that follows redirects, honours proxies and ~/.netrc, and pools connections."""
    return httpx.Client(
        auth=HostAuth(index_urls), follow_redirects=True, timeout=httpx.Timeout(30.0, connect=15.0),
        limits=httpx.Limits(max_connections=16, max_keepalive_connections=16),
        headers={"User-Agent": f"shipyard/{__version__}"})


def network_error(url: str, exc: Exception) -> ShipyardError:
    """A network failure, said plainly with the URL (without credentials)."""
    reason = str(exc) or type(exc).__name__
    return ShipyardError(f"cannot fetch {strip_credentials(url)}: {reason}")


def get(http: httpx.Client, url: str, **kwargs) -> httpx.Response:
    """GET with errors as ShipyardError (4xx/5xx other than 404 included)."""
    try:
        response = http.get(url, **kwargs)
    except httpx.HTTPError as exc:
        raise network_error(url, exc) from None
    if response.status_code >= 400 and response.status_code != 404:
        raise ShipyardError(f"cannot fetch {strip_credentials(url)}: HTTP {response.status_code} {response.reason_phrase}")
    return response
