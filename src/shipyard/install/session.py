"""One HTTP client for everything install fetches: credentials per host, clear errors."""

from __future__ import annotations

import base64
import netrc
import os
import time
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


RETRIES = 3
RETRY_STATUS = {429, 500, 502, 503, 504}


class HostAuth(httpx.Auth):
    """Basic auth for every request to a host whose index URL carried `user:password@`, else
    whose ~/.netrc ($NETRC) entry names it."""

    def __init__(self, index_urls: Iterable[str]):
        self.credentials: dict[str, tuple[str, str]] = {}
        for url in index_urls:
            parts = urlsplit(url)
            if parts.username is not None:
                self.credentials[parts.hostname or ""] = (unquote(parts.username), unquote(parts.password or ""))
        self._netrc: netrc.netrc | None = None
        try:
            self._netrc = netrc.netrc(os.environ.get("NETRC"))
        except (OSError, netrc.NetrcParseError):
            self._netrc = None

    def _user(self, host: str) -> tuple[str, str] | None:
        if host in self.credentials:
            return self.credentials[host]
        entry = self._netrc.authenticators(host) if self._netrc else None
        return (entry[0], entry[2] or "") if entry and entry[0] else None

    def auth_flow(self, request: httpx.Request):
        user = self._user(request.url.host)
        if user and "Authorization" not in request.headers:
            token = base64.b64encode(f"{user[0]}:{user[1]}".encode()).decode()
            request.headers["Authorization"] = f"Basic {token}"
        yield request


def client(index_urls: Iterable[str]) -> httpx.Client:
    """A client that follows redirects, honours proxy settings and ~/.netrc, and pools connections."""
    return httpx.Client(
        auth=HostAuth(index_urls), follow_redirects=True, timeout=httpx.Timeout(30.0, connect=15.0),
        limits=httpx.Limits(max_connections=16, max_keepalive_connections=16),
        headers={"User-Agent": f"shipyard/{__version__}"})


def network_error(url: str, exc: Exception) -> ShipyardError:
    """A network failure, said plainly with the URL (without credentials)."""
    reason = str(exc) or type(exc).__name__
    return ShipyardError(f"cannot fetch {strip_credentials(url)}: {reason}")


def backoff(attempt: int) -> None:
    """Wait before retry number `attempt` (0.5 s, 1 s, ...)."""
    time.sleep(0.5 * 2 ** attempt)


def get(http: httpx.Client, url: str, **kwargs) -> httpx.Response:
    """GET with retries on network errors and 429/5xx; errors as ShipyardError (4xx/5xx but 404)."""
    for attempt in range(RETRIES):
        try:
            response = http.get(url, **kwargs)
        except httpx.TransportError as exc:
            if attempt + 1 == RETRIES:
                raise network_error(url, exc) from None
            backoff(attempt)
            continue
        except httpx.HTTPError as exc:
            raise network_error(url, exc) from None
        if response.status_code not in RETRY_STATUS or attempt + 1 == RETRIES:
            break
        backoff(attempt)
    if response.status_code >= 400 and response.status_code != 404:
        hint = " (give credentials as https://USER:TOKEN@host/... or in ~/.netrc)" \
            if response.status_code in (401, 403) else ""
        raise ShipyardError(f"cannot fetch {strip_credentials(url)}: "
                            f"HTTP {response.status_code} {response.reason_phrase}{hint}")
    return response
