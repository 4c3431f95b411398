"""Direct references: a local wheel, sdist or project folder, or `name @ URL`, instead of an index.

Each becomes one `DistFile` (a `file://` URL for local ones) and a requirement pinned to its
version, so the resolver treats it like a project with a single release. A project folder is
built into a wheel first (shipyard's frontend: any PEP 517 backend).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from packaging.requirements import Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion
from shipyard_core.errors import ShipyardError

from shipyard.install import cache
from shipyard.install.finder import DistFile

ARCHIVES = (".whl", ".tar.gz", ".zip")


def looks_like_path(text: str) -> bool:
    """A command-line argument naming a file or folder rather than a PEP 508 requirement."""
    return "/" in text or text.startswith((".", "~")) or text.endswith(ARCHIVES)


def local_path(url: str) -> Path | None:
    """The path of a `file://` URL (None for other URLs)."""
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def from_path(text: str, base: Path) -> tuple[Requirement, DistFile]:
    """A local wheel, sdist or project folder given as a path."""
    path = (base / Path(text).expanduser()).resolve()
    if not path.exists():
        raise ShipyardError("no such file or folder", file=text)
    if path.is_dir():
        path = _build(path)
    return _pinned(None, set(), path.as_uri(), {}, source=text)


def from_requirement(requirement: Requirement, base: Path) -> tuple[Requirement, DistFile]:
    """`name[extras] @ URL` (https or file) to a wheel or sdist, or `name @ file:///folder`."""
    url, _, fragment = (requirement.url or "").partition("#")
    path = local_path(url)
    if path is not None and path.is_dir():
        url = _build(path).as_uri()
    elif urlsplit(url).scheme not in ("https", "http", "file"):
        raise ShipyardError(f"{requirement}: only https://, http:// and file:// direct references are supported "
                            "(no VCS URLs yet)")
    hashes = dict([fragment.split("=", 1)]) if "=" in fragment else {}
    return _pinned(requirement.name, requirement.extras, url, hashes, source=str(requirement))


def _pinned(name: str | None, extras: set[str], url: str, hashes: dict[str, str],
            source: str) -> tuple[Requirement, DistFile]:
    filename = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    try:
        if filename.endswith(".whl"):
            project, version, _, tags = parse_wheel_filename(filename)
        elif filename.endswith((".tar.gz", ".zip")):
            (project, version), tags = parse_sdist_filename(filename), frozenset()
        else:
            raise ShipyardError(f"{source}: expected a wheel (.whl), an sdist (.tar.gz, .zip) or a project folder")
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion) as exc:
        raise ShipyardError(f"{source}: not a valid distribution file name ({exc})") from None
    if name is not None and canonicalize_name(name) != canonicalize_name(project):
        raise ShipyardError(f"{source}: the file is {project} {version}, not {name}")
    extra = f"[{','.join(sorted(extras))}]" if extras else ""
    dist = DistFile(filename=filename, url=url, index="", version=version, hashes=hashes, tags=frozenset(tags))
    return Requirement(f"{canonicalize_name(project)}{extra}=={version}"), dist


def _build(folder: Path) -> Path:
    """A wheel of the project in `folder` (rebuilt each time: the source may have changed)."""
    from shipyard.frontend import build

    out = cache.root() / "local-builds" / hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    for old in out.glob("*.whl"):
        old.unlink()
    wheel = build(folder, out, sdist=False, wheel=True).wheel
    assert wheel is not None
    return wheel
