"""Download distribution files into the cache, verified against the index's sha256, concurrently."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from shipyard_core.errors import ShipyardError

from shipyard.install import cache
from shipyard.install.direct import local_path
from shipyard.install.finder import DistFile
from shipyard.install.progress import SILENT, Progress
from shipyard.install.session import (
    RETRIES,
    RETRY_STATUS,
    backoff,
    get,
    network_error,
    strip_credentials,
)


def _hash_mismatch(url: str, expected: str, actual: str) -> ShipyardError:
    return ShipyardError(f"hash mismatch for {strip_credentials(url)}: the index says sha256 {expected}, "
                         f"the download has {actual}; nothing was installed")


def fetch(http: httpx.Client, dist: DistFile, progress: Progress = SILENT) -> Path:
    """The file in the cache, downloading it if needed; its sha256 is checked when the index gives one."""
    expected = dist.sha256
    local = local_path(dist.url)
    if local is not None:
        return _local(local, dist, progress)
    if expected:
        cached = cache.file_path(expected, dist.filename)
        if cached.exists():
            progress.finish(dist.filename, cached.stat().st_size, cached=True)
            return cached
    temporary = cache.temporary_file(Path(dist.filename))
    try:
        for attempt in range(RETRIES):
            try:
                actual, size = _stream(http, dist, temporary, progress)
                break
            except (httpx.TransportError, _Transient) as exc:
                if attempt + 1 == RETRIES:
                    raise network_error(dist.url, exc) from None
                backoff(attempt)
            except httpx.HTTPError as exc:
                raise network_error(dist.url, exc) from None
        if expected and actual != expected.lower():
            raise _hash_mismatch(dist.url, expected, actual)
        path = cache.store(temporary, cache.file_path(actual, dist.filename))
    finally:
        temporary.unlink(missing_ok=True)
    progress.finish(dist.filename, size, cached=False)
    return path


class _Transient(Exception):
    """An answer worth retrying (429, 5xx)."""


def _stream(http: httpx.Client, dist: DistFile, temporary: Path, progress: Progress) -> tuple[str, int]:
    """Download into `temporary`; returns its sha256 and size."""
    digest, size = hashlib.sha256(), 0
    with http.stream("GET", dist.url) as response:
        if response.status_code in RETRY_STATUS:
            raise _Transient(f"HTTP {response.status_code} {response.reason_phrase}")
        if response.status_code != 200:
            raise ShipyardError(f"cannot fetch {strip_credentials(dist.url)}: HTTP {response.status_code}")
        progress.start(dist.filename, int(response.headers.get("content-length", 0)) or dist.size)
        with open(temporary, "wb") as out:
            for block in response.iter_bytes(1 << 16):
                out.write(block)
                digest.update(block)
                size += len(block)
                progress.advance(dist.filename, len(block))
    return digest.hexdigest(), size


def _local(path: Path, dist: DistFile, progress: Progress) -> Path:
    """A `file://` distribution is used where it is, after its hash check (if one was given)."""
    if not path.is_file():
        raise ShipyardError("no such file", file=path)
    if dist.sha256 and cache.sha256_of(path) != dist.sha256.lower():
        raise _hash_mismatch(dist.url, dist.sha256, cache.sha256_of(path))
    progress.finish(dist.filename, path.stat().st_size, cached=True)
    return path


def fetch_all(http: httpx.Client, dists: Iterable[DistFile], progress: Progress = SILENT,
              workers: int = 8) -> dict[str, Path]:
    """Download several files at once; filename -> cached path. The first failure is raised."""
    dists = list(dists)
    if not dists:
        return {}
    with ThreadPoolExecutor(max_workers=min(workers, len(dists)), thread_name_prefix="shipyard-dl") as pool:
        futures = {dist.filename: pool.submit(fetch, http, dist, progress) for dist in dists}
        return {name: future.result() for name, future in futures.items()}


def fetch_metadata(http: httpx.Client, dist: DistFile) -> str | None:
    """A wheel's PEP 658 metadata file (cached by its hash), or None if the index has none."""
    if dist.metadata is None:
        return None
    expected = dist.metadata.get("sha256")
    if expected:
        cached = cache.metadata_path(expected)
        if cached.exists():
            return cached.read_text(encoding="utf-8", errors="replace")
    url = dist.url + ".metadata"
    response = get(http, url)
    if response.status_code != 200:
        return None
    actual = hashlib.sha256(response.content).hexdigest()
    if expected and actual != expected.lower():
        raise _hash_mismatch(url, expected, actual)
    temporary = cache.temporary_file(Path("metadata"))
    temporary.write_bytes(response.content)
    cache.store(temporary, cache.metadata_path(actual))
    return response.content.decode("utf-8", errors="replace")
