"""Core metadata of a candidate: PEP 658 file, else from the wheel, else from a wheel built from the sdist."""

from __future__ import annotations

import threading
import zipfile
from concurrent.futures import Future
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

import httpx
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import parse_wheel_filename
from shipyard_core.errors import ShipyardError

from shipyard.install import cache
from shipyard.install.download import fetch, fetch_metadata
from shipyard.install.finder import DistFile
from shipyard.install.target import Target


@dataclass(frozen=True)
class Dependencies:
    """What a distribution's metadata says it needs."""

    requires_dist: tuple[Requirement, ...]
    requires_python: str | None


def parse(text: str, source: str) -> Dependencies:
    headers = HeaderParser().parsestr(text)
    requirements = []
    for line in headers.get_all("Requires-Dist") or []:
        try:
            requirements.append(Requirement(line))
        except InvalidRequirement as exc:
            raise ShipyardError(f"invalid Requires-Dist {line!r}: {exc}", file=source) from None
    return Dependencies(tuple(requirements), headers.get("Requires-Python"))


def wheel_metadata(path: Path) -> str:
    """METADATA of a wheel file (the `.dist-info` folder named after the wheel)."""
    try:
        with zipfile.ZipFile(path) as archive:
            candidates = [n for n in archive.namelist()
                          if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            if not candidates:
                raise ShipyardError("no .dist-info/METADATA in this wheel", file=path)
            return archive.read(candidates[0]).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError) as exc:
        raise ShipyardError(f"not a readable wheel: {exc}", file=path) from None


def build_wheel(sdist: Path, sha256: str, target: Target, index_url: str | None) -> Path:
    """A wheel built from the sdist with shipyard's frontend, cached by the sdist's hash."""
    from shipyard.frontend import build_wheel_from_sdist

    out = cache.built_dir(sha256)
    built = sorted(out.glob("*.whl")) if out.is_dir() else []
    wheel = built[0] if built else build_wheel_from_sdist(sdist, out, index_url=index_url)
    _, _, _, tags = parse_wheel_filename(wheel.name)
    if not set(tags) & set(target.tags):
        raise ShipyardError(f"the wheel built from {sdist.name} ({wheel.name}) does not fit the target "
                            f"interpreter {target.python} (Python {target.python_version})")
    return wheel


class MetadataSource:
    """Metadata per file, fetched once; remembers the local wheels it had to fetch or build."""

    def __init__(self, http: httpx.Client, target: Target, build_index: str | None):
        self.http = http
        self.target = target
        self.build_index = build_index
        self.wheels: dict[str, Path] = {}  # index filename -> local wheel (downloaded or built)
        self._cache: dict[str, Future[Dependencies]] = {}
        self._lock = threading.Lock()

    def of(self, dist: DistFile) -> Dependencies:
        """The file's dependencies; a file asked for by several threads is fetched once."""
        with self._lock:
            future = self._cache.get(dist.filename)
            owner = future is None
            if future is None:
                future = self._cache[dist.filename] = Future()
        if owner:
            try:
                future.set_result(self._load(dist))
            except BaseException as exc:  # noqa: BLE001 - re-raised in every caller by result()
                future.set_exception(exc)
        return future.result()

    def _load(self, dist: DistFile) -> Dependencies:
        if dist.is_wheel:
            text = fetch_metadata(self.http, dist)
            if text is None:
                text = wheel_metadata(self.local_wheel(dist))
        else:
            text = wheel_metadata(self.local_wheel(dist))
        return parse(text, dist.filename)

    def local_wheel(self, dist: DistFile, path: Path | None = None) -> Path:
        """The wheel to install for this file: the download itself, or built from the sdist."""
        if dist.filename not in self.wheels:
            path = path or fetch(self.http, dist)
            if not dist.is_wheel:
                path = build_wheel(path, dist.sha256 or cache.sha256_of(path), self.target, self.build_index)
            self.wheels[dist.filename] = path
        return self.wheels[dist.filename]
