"""Reproducible archive writers and atomic output.

The same entries give the same bytes: entries come sorted from the caller, timestamps are
SOURCE_DATE_EPOCH or a fixed 1980-01-01, modes are 0644/0755, owners are 0 with no names,
and the gzip header carries no time or file name. Output is written to a temporary file in
the target folder and renamed into place, so a failed build leaves nothing behind.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
COMPRESS_LEVEL = 6


def build_time() -> int:
    """SOURCE_DATE_EPOCH when set (never before 1980), else 1980-01-01."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return max(int(value), ZIP_EPOCH) if value.isdigit() else ZIP_EPOCH


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; it becomes `target` only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class TarGzWriter:
    """A reproducible .tar.gz (PAX format)."""

    def __init__(self, path: Path, mtime: int | None = None):
        self.mtime = build_time() if mtime is None else mtime
        self._raw = open(path, "wb")
        self._gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=COMPRESS_LEVEL)
        self._tar = tarfile.open(fileobj=self._gzip, mode="w", format=tarfile.PAX_FORMAT)

    def add(self, name: str, data: bytes, executable: bool = False) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = self.mtime
        info.mode = 0o755 if executable else 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        self._tar.addfile(info, io.BytesIO(data))

    def close(self) -> None:
        self._tar.close()
        self._gzip.close()
        self._raw.close()

    def __enter__(self) -> TarGzWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ZipWriter:
    """A reproducible, deflated .zip (the wheel format)."""

    def __init__(self, path: Path, mtime: int | None = None):
        stamp = build_time() if mtime is None else mtime
        self.date_time = time.gmtime(stamp)[:6]
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)

    def add(self, name: str, data: bytes, executable: bool = False) -> None:
        info = zipfile.ZipInfo(name, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = ((0o100755 if executable else 0o100644) & 0xFFFF) << 16
        info.create_system = 3  # unix, so the modes above are honored
        self._zip.writestr(info, data, compresslevel=COMPRESS_LEVEL)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> ZipWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
