"""Tiny, valid distributions written directly (milliseconds each), for tests and benchmarks."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

from packaging.utils import canonicalize_name


def _metadata(name: str, version: str, summary: str, requires_python: str | None,
              requires: list[str], readme: str | None) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", f"Summary: {summary}"]
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    lines += [f"Requires-Dist: {r}" for r in requires]
    if readme is not None:
        lines.append("Description-Content-Type: text/markdown")
        return "\n".join(lines) + "\n\n" + readme
    return "\n".join(lines) + "\n"


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def wheel(directory: Path, name: str, version: str, *, summary: str = "A tiny test project",
          requires_python: str | None = None, requires: list[str] = (), readme: str | None = None,
          module_text: str | None = None, metadata_name: str | None = None) -> Path:
    """Write ``<name>-<version>-py3-none-any.whl`` into `directory` and return its path."""
    stem = canonicalize_name(name).replace("-", "_")
    dist_info = f"{stem}-{version}.dist-info"
    module = stem
    files = {
        f"{module}/__init__.py": (module_text or f'__version__ = "{version}"\n').encode(),
        f"{dist_info}/METADATA": _metadata(metadata_name or name, version, summary, requires_python,
                                           list(requires), readme).encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: shipyard-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "\n".join(_record_line(p, d) for p, d in files.items()) + f"\n{dist_info}/RECORD,,\n"
    files[f"{dist_info}/RECORD"] = record.encode()
    path = Path(directory) / f"{stem}-{version}-py3-none-any.whl"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            info = zipfile.ZipInfo(member, (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path


def sdist(directory: Path, name: str, version: str, *, summary: str = "A tiny test project",
          requires_python: str | None = None, extra_members: dict[str, bytes] | None = None) -> Path:
    """Write ``<name>-<version>.tar.gz`` (PEP 625 name, PKG-INFO, pyproject.toml)."""
    stem = f"{canonicalize_name(name).replace('-', '_')}-{version}"
    members = {
        f"{stem}/PKG-INFO": _metadata(name, version, summary, requires_python, [], None).encode(),
        f"{stem}/pyproject.toml": f'[project]\nname = "{name}"\nversion = "{version}"\n'.encode(),
        **(extra_members or {}),
    }
    path = Path(directory) / f"{stem}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            info.mtime = 1577836800
            archive.addfile(info, io.BytesIO(data))
    return path
