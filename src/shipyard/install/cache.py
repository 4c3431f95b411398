"""The content-addressed download cache: files are stored under their sha256.

Layout: ``<cache root>/install/files/<aa>/<sha256>/<filename>`` for downloads,
``.../metadata/<aa>/<sha256>`` for PEP 658 metadata files and ``.../built/<sdist sha256>/``
for wheels built from sdists. Entries appear whole (written to a temporary name, then
renamed), so concurrent installs share the cache safely.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from shipyard_core.errors import ShipyardError

from shipyard.buildenv import cache_dir


def root() -> Path:
    return cache_dir() / "install"


def file_path(sha256: str, filename: str) -> Path:
    return root() / "files" / sha256[:2] / sha256 / filename


def metadata_path(sha256: str) -> Path:
    return root() / "metadata" / sha256[:2] / sha256


def built_dir(sdist_sha256: str) -> Path:
    return root() / "built" / sdist_sha256


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store(temporary: Path, destination: Path) -> Path:
    """Move a finished temporary file into its cache place (atomic; a racing twin is fine)."""
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, destination)
    except OSError as exc:
        raise ShipyardError(f"cannot write to the cache: {exc.strerror}", file=destination) from None
    return destination


def temporary_file(near: Path) -> Path:
    """A new temporary file in the cache (same file system as its final place)."""
    folder = root() / "tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=near.name[:40] + ".")
    except OSError as exc:
        raise ShipyardError(f"cannot write to the cache (set SHIPYARD_CACHE_DIR?): {exc.strerror}",
                            file=folder) from None
    os.close(handle)
    return Path(name)
