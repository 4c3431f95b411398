"""One file to one legacy upload endpoint: retries, and what the server's answer means."""

from __future__ import annotations

import html
import re
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus

import httpx

from shipyard.publish.credentials import Credentials
from shipyard.publish.form import MultipartBody
from shipyard.publish.repositories import Repository

Progress = Callable[[int, int], None]  # (bytes sent, total)

#: how twine, PyPI, pypiserver and shipyard's index say "this file is already there"
_EXISTS = re.compile(r"already exists?|file exists|overwrit", re.IGNORECASE)


class UploadFailed(Exception):
    """The server did not store the file; `message` says why, with the server's own reason."""

    def __init__(self, message: str, status: int | None = None, exists: bool = False):
        super().__init__(message)
        self.message, self.status, self.exists = message, status, exists


@dataclass(frozen=True)
class Answer:
    status: int
    text: str


def server_reason(response: httpx.Response) -> str:
    """The server's own words: a custom reason phrase (PyPI) and the body (others), as text."""
    phrase = response.reason_phrase or ""
    try:
        standard = HTTPStatus(response.status_code).phrase
    except ValueError:
        standard = ""
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", response.text or "")
    texts = (" ".join(html.unescape(text).split()) for text in re.split(r"<[^>]+>", body))
    parts = [phrase if phrase != standard else "", *texts]
    reason = " - ".join(dict.fromkeys(p for p in parts if p))
    return reason[:500] or phrase or "no reason given"


def explain(response: httpx.Response, repository: Repository, credentials: Credentials) -> UploadFailed:
    """A clear message for a refused upload."""
    status, reason = response.status_code, server_reason(response)
    if _EXISTS.search(reason) and status in (400, 403, 409):
        return UploadFailed(f"already exists on {repository.url} ({status}: {reason}); --skip-existing "
                            "skips such files", status, exists=True)
    hints = {
        400: "the server refused the upload",
        401: f"authentication failed for user {credentials.username!r} (password from {credentials.source})"
             + ("; PyPI takes API tokens with the user name __token__" if repository.is_pypi else ""),
        403: f"user {credentials.username!r} (password from {credentials.source}) may not upload this file: "
             "a wrong password or token, or no upload rights to this project",
        404: "no upload API at this URL (the legacy upload URL usually ends in /legacy/)",
        405: "no upload API at this URL (the legacy upload URL usually ends in /legacy/)",
        409: "the server refused the upload as a conflict",
        413: "the file is larger than the server accepts",
    }
    hint = hints.get(status, "the upload failed")
    return UploadFailed(f"{hint} ({status}: {reason})", status)


def _client(repository: Repository, credentials: Credentials, timeout: float) -> httpx.Client:
    verify: ssl.SSLContext | bool = True
    if repository.ca_cert or repository.client_cert:
        verify = ssl.create_default_context(cafile=repository.ca_cert)
        if repository.client_cert:
            verify.load_cert_chain(repository.client_cert)
    return httpx.Client(auth=httpx.BasicAuth(credentials.username, credentials.password), verify=verify,
                        timeout=httpx.Timeout(timeout, connect=10.0), follow_redirects=False,
                        headers={"User-Agent": _user_agent()})


def _user_agent() -> str:
    from shipyard import __version__

    return f"shipyard/{__version__} (publish; legacy upload API)"


class Uploader:
    """Uploads files to one repository over one connection pool."""

    def __init__(self, repository: Repository, credentials: Credentials, *, retries: int = 3,
                 backoff: float = 1.0, timeout: float = 300.0):
        self.repository, self.credentials = repository, credentials
        self.retries, self.backoff = retries, backoff
        self.client = _client(repository, credentials, timeout)

    def close(self) -> None:
        self.client.close()

    def upload(self, body: MultipartBody, progress: Progress = lambda sent, total: None,
               on_retry: Callable[[str], None] = lambda message: None) -> Answer:
        """POST the form; retry 5xx answers and connection errors with exponential backoff."""
        attempt = 0
        while True:
            try:
                failure = self._attempt(body, progress)
            except UploadFailed as exc:
                if exc.exists and attempt:
                    exc.message += " (an earlier attempt that failed midway may have stored it)"
                raise
            if isinstance(failure, Answer):
                return failure
            if attempt >= self.retries:
                raise failure
            attempt += 1
            delay = self.backoff * 2 ** (attempt - 1)
            on_retry(f"{failure.message}; retry {attempt} of {self.retries} in {delay:g} s")
            time.sleep(delay)

    def _attempt(self, body: MultipartBody, progress: Progress) -> Answer | UploadFailed:
        """The answer when the server stored the file; an UploadFailed to retry; raises a final one."""
        try:
            response = self.client.post(self.repository.url, content=self._counted(body, progress), headers={
                "Content-Type": body.content_type, "Content-Length": str(body.length)})
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            return UploadFailed(f"cannot reach {self.repository.url}: {exc or type(exc).__name__}")
        except httpx.TransportError as exc:
            return UploadFailed(f"no valid answer from {self.repository.url}: {exc or type(exc).__name__}")
        if 300 <= response.status_code < 400:
            raise UploadFailed(f"{self.repository.url} redirects to {response.headers.get('location')!r}; "
                               "refusing to follow (use the final upload URL)", response.status_code)
        if response.status_code >= 500:
            return UploadFailed(f"server error ({response.status_code}: {server_reason(response)})",
                                response.status_code)
        if not response.is_success:
            raise explain(response, self.repository, self.credentials)
        return Answer(response.status_code, response.text)

    @staticmethod
    def _counted(body: MultipartBody, progress: Progress) -> Iterator[bytes]:
        sent = 0
        progress(0, body.length)
        for chunk in body.chunks():
            sent += len(chunk)
            yield chunk
            progress(sent, body.length)
