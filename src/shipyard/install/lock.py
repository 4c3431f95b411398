"""PEP 751 `pylock.toml`: write a resolution, read one back as the exact files to install.

A lock written here is for the environment it was resolved for (its `environments` marker
says which): each package names the one file chosen for that interpreter, with its URL,
size and sha256. TOML is written by hand (strings as TOML basic strings).
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from packaging.markers import InvalidMarker, Marker
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version
from shipyard_core.errors import ShipyardError

from shipyard.install.finder import DistFile
from shipyard.install.session import strip_credentials
from shipyard.install.target import Target


@dataclass(frozen=True)
class LockedFile:
    """One package of a lock: its name, version and the file to install (with size and sha256)."""

    name: str
    version: Version
    file: DistFile
    size: int
    sha256: str


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _datetime(value: str | None) -> str | None:
    """A PEP 700 upload time as a TOML offset date-time (None if absent or unreadable)."""
    try:
        return datetime.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


def environment_marker(target: Target) -> str:
    keys = ("implementation_name", "python_full_version", "sys_platform", "platform_machine")
    return " and ".join(f"{key} == {_string(target.markers[key])}" for key in keys)


def render(files: list[LockedFile], target: Target) -> str:
    """The text of a pylock.toml for these files (sorted by name)."""
    lines = ['lock-version = "1.0"', f"environments = [{_string(environment_marker(target))}]",
             f'requires-python = {_string("==" + target.python_version)}', 'created-by = "shipyard"', ""]
    for locked in sorted(files, key=lambda f: f.name):
        dist = locked.file
        lines += ["[[packages]]", f"name = {_string(locked.name)}", f"version = {_string(str(locked.version))}"]
        lines += [f"index = {_string(dist.index)}", ""] if dist.index else [""]
        lines.append("[[packages.wheels]]" if dist.is_wheel else "[packages.sdist]")
        lines += [f"name = {_string(dist.filename)}", f"url = {_string(strip_credentials(dist.url))}"]
        if uploaded := _datetime(dist.upload_time):
            lines.append(f"upload-time = {uploaded}")
        lines += [f"size = {locked.size}", f"hashes = {{sha256 = {_string(locked.sha256)}}}", ""]
    return "\n".join(lines)


def write(path: Path, files: list[LockedFile], target: Target) -> None:
    """Write the lock atomically (a temporary file beside it, then renamed)."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(render(files, target))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(path: Path, target: Target) -> list[LockedFile]:
    """The files a lock asks to install on this target (packages whose marker excludes it are left out)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ShipyardError(f"cannot read the lock: {exc}", file=path) from None
    if str(data.get("lock-version", "")).split(".")[0] != "1":
        raise ShipyardError("unsupported lock version (expected 1.x)", file=path, field="lock-version")
    python = Version(target.python_version)
    if "requires-python" in data and not SpecifierSet(data["requires-python"]).contains(python, prereleases=True):
        raise ShipyardError(f"the lock is for Python {data['requires-python']}, the target is {python}",
                            file=path, field="requires-python")
    environments = [Marker(m) for m in data.get("environments", [])]
    if environments and not any(m.evaluate(target.markers) for m in environments):
        raise ShipyardError("the target environment matches none of the lock's environments", file=path,
                            field="environments")
    return [locked for index, package in enumerate(data.get("packages", []))
            if (locked := _package(package, target, path, f"packages[{index}]")) is not None]


def _package(package: dict, target: Target, path: Path, where: str) -> LockedFile | None:
    try:
        name = canonicalize_name(package["name"])
        version = Version(package["version"])
        if "marker" in package and not Marker(package["marker"]).evaluate(target.markers):
            return None
    except (KeyError, InvalidVersion, InvalidMarker) as exc:
        raise ShipyardError(f"needs a valid name, version and marker ({exc})", file=path, field=where) from None
    priority = target.tag_priority()
    fitting = []
    for entry in package.get("wheels", []):
        dist = _file(entry, package, version, path, where)
        ranks = [priority[t] for t in dist.tags if t in priority]
        if ranks:
            fitting.append((min(ranks), dist))
    if fitting:
        dist = min(fitting, key=lambda pair: pair[0])[1]
    elif "sdist" in package:
        dist = _file(package["sdist"], package, version, path, where)
    else:
        kind = next((k for k in ("vcs", "directory", "archive") if k in package), None)
        why = f"a {kind} source is not supported yet" if kind else "no wheel fits this interpreter and no sdist"
        raise ShipyardError(f"{name} {version}: {why}", file=path, field=where)
    return LockedFile(name, version, dist, dist.size or 0, dist.sha256 or "")


def _file(entry: dict, package: dict, version: Version, path: Path, where: str) -> DistFile:
    url = entry.get("url")
    sha256 = (entry.get("hashes") or {}).get("sha256")
    if not url or not sha256:
        raise ShipyardError("each file needs a url and a sha256 hash", file=path, field=where)
    filename = entry.get("name") or urlsplit(url).path.rsplit("/", 1)[-1]
    tags = frozenset(parse_wheel_filename(filename)[3]) if filename.endswith(".whl") else frozenset()
    return DistFile(filename=filename, url=url, index=package.get("index", ""), version=version,
                    hashes={"sha256": sha256}, size=entry.get("size"), tags=tags)
