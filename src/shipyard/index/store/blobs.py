"""Blob store: immutable files under a key, written atomically.

A key is ``<sha256>/<filename>``: content-addressed, so the URL of a file never changes
and identical bytes never conflict. The local store lays keys out as directories under
``packages/`` so that nginx can serve them straight from disk.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol


class BlobStore(Protocol):
    """Where distribution files and their metadata files live."""

    def put_file(self, key: str, source: Path) -> None:
        """Store `source` under `key` atomically: visible whole or not at all."""

    def put_bytes(self, key: str, data: bytes) -> None:
        """Store `data` under `key` atomically."""

    def path(self, key: str) -> Path | None:
        """A local path to the blob, or None when it does not exist."""

    def delete(self, key: str) -> None:
        """Remove a blob (missing is fine)."""

    def spool(self) -> tempfile.TemporaryDirectory:
        """A private scratch directory on the same file system, for incoming uploads."""


def blob_key(sha256: str, filename: str) -> str:
    return f"{sha256}/{filename}"


class LocalBlobStore:
    """Blobs as files under `root/packages/<sha256>/<filename>`."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.packages = self.root / "packages"
        self.tmp = self.root / "tmp"
        self.packages.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def _target(self, key: str) -> Path:
        digest, _, filename = key.partition("/")
        if len(digest) != 64 or not filename or "/" in filename or filename.startswith("."):
            raise ValueError(f"bad blob key {key!r}")
        return self.packages / digest / filename

    def put_file(self, key: str, source: Path) -> None:
        with open(source, "rb") as stream:
            self._put(key, stream)

    def put_bytes(self, key: str, data: bytes) -> None:
        import io

        self._put(key, io.BytesIO(data))

    def _put(self, key: str, stream: BinaryIO) -> None:
        target = self._target(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.tmp, prefix=".put-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o644)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)

    def path(self, key: str) -> Path | None:
        try:
            target = self._target(key)
        except ValueError:
            return None
        return target if target.is_file() else None

    def delete(self, key: str) -> None:
        target = self._target(key)
        target.unlink(missing_ok=True)
        try:
            target.parent.rmdir()
        except OSError:
            pass

    def spool(self) -> tempfile.TemporaryDirectory:
        return tempfile.TemporaryDirectory(dir=self.tmp, prefix="upload-")

    def sweep(self, older_than: float = 3600.0) -> int:
        """Remove scratch left by killed processes; returns how many entries went."""
        import shutil
        import time

        removed = 0
        cutoff = time.time() - older_than
        for entry in self.tmp.iterdir():
            try:
                if entry.stat().st_mtime < cutoff:
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

