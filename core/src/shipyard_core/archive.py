"""Reproducible archives, with every file compressed once for both of them.

A file's content is deflated once into a byte-aligned raw deflate stream (a full flush, no
final block). The wheel (zip) stores that stream with an empty final block appended; the
sdist (tar.gz) splices the same stream between its deflated tar headers. So an sdist and a
wheel cost one compression of the sources, spread over threads (zlib releases the GIL).

The same entries give the same bytes: entries come sorted from the caller, timestamps are
SOURCE_DATE_EPOCH or a fixed 1980-01-01, modes are 0644/0755, owners are 0 with no names,
and the gzip header carries no time or file name. Output goes to a temporary file in the
target folder and is renamed into place, so a failed build leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tarfile
import tempfile
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from shipyard_core.errors import BuildError

ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
COMPRESS_LEVEL = 6
FINAL_BLOCK = b"\x03\x00"  # an empty, final, fixed-Huffman deflate block
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, mtime 0, OS unknown (as gzip.py)
TAR_RECORD = tarfile.RECORDSIZE
ZIP_LIMIT = 0xFFFF_FFFF


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


@dataclass(frozen=True)
class Blob:
    """One file's content, with its deflated form, CRC-32 and sha256 computed once."""

    data: bytes
    deflated: bytes  #: raw deflate, byte-aligned, without a final block
    crc: int
    sha256: bytes
    executable: bool = False

    @property
    def size(self) -> int:
        return len(self.data)


_compressors = threading.local()


def deflate(data: bytes, executable: bool = False) -> Blob:
    """Compress one file's content (a full flush resets the dictionary: the output is the
    same as a fresh compressor's, whichever thread does it)."""
    compressor = getattr(_compressors, "compressor", None)
    if compressor is None:
        compressor = _compressors.compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
    return Blob(data, deflated, zlib.crc32(data), hashlib.sha256(data).digest(), executable)


def deflate_all(contents: dict[str, tuple[bytes, bool]], workers: int | None = None) -> dict[str, Blob]:
    """Deflate many files, split over a few threads; the result keeps the keys' order."""
    items = list(contents.items())
    workers = min(workers or os.cpu_count() or 1, 4, max(1, len(items) // 64))
    if workers == 1:
        return {name: deflate(data, executable) for name, (data, executable) in items}

    def work(part: list[tuple[str, tuple[bytes, bool]]]) -> dict[str, Blob]:
        return {name: deflate(data, executable) for name, (data, executable) in part}

    with ThreadPoolExecutor(workers) as pool:
        done: dict[str, Blob] = {}
        for part in pool.map(work, [items[i::workers] for i in range(workers)]):
            done.update(part)
    return {name: done[name] for name, _ in items}


def _tar_header(name: str, blob: Blob, mtime: int) -> bytes:
    """A tar header, the bytes tarfile writes in PAX format (plain ustar for a short ASCII name)."""
    mode = 0o755 if blob.executable else 0o644
    if len(name) > 100 or not name.isascii() or blob.size >= 8**11:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = blob.size, mtime, mode, 0, 0, "", ""
        return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
    header = bytearray(tarfile.BLOCKSIZE)
    header[0:len(name)] = name.encode("ascii")
    header[100:148] = b"%07o\0%07o\0%07o\0%011o\0%011o\0" % (mode, 0, 0, blob.size, mtime)
    header[148:156] = b" " * 8
    header[156:157] = tarfile.REGTYPE
    header[257:265] = tarfile.POSIX_MAGIC
    header[148:155] = b"%06o\0" % sum(header)
    return bytes(header)


def write_tar_gz(path: Path, entries: Iterable[tuple[str, Blob]], mtime: int | None = None) -> None:
    """A PAX tar, gzipped, as tarfile + gzip would write it at level 6 (byte for byte the
    same content; the deflate stream differs only in where its blocks end)."""
    mtime = build_time() if mtime is None else mtime
    glue = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    crc, size, pending = 0, 0, b""
    with open(path, "wb") as out:
        out.write(GZIP_HEADER)
        for name, blob in entries:
            chunk = pending + _tar_header(name, blob, mtime)
            out.write(glue.compress(chunk) + glue.flush(zlib.Z_FULL_FLUSH))
            out.write(blob.deflated)
            crc = zlib.crc32(blob.data, zlib.crc32(chunk, crc))
            size += len(chunk) + blob.size
            pending = b"\0" * (-blob.size % tarfile.BLOCKSIZE)
        tail = pending + b"\0" * (2 * tarfile.BLOCKSIZE)
        tail += b"\0" * (-(size + len(tail)) % TAR_RECORD)
        out.write(glue.compress(tail) + glue.flush(zlib.Z_FINISH))
        crc = zlib.crc32(tail, crc)
        size += len(tail)
        out.write(struct.pack("<II", crc, size & 0xFFFF_FFFF))


def _dos_time(stamp: int) -> tuple[int, int]:
    year, month, day, hour, minute, second = time.gmtime(stamp)[:6]
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def write_zip(path: Path, entries: Iterable[tuple[str, Blob]], mtime: int | None = None) -> None:
    """A deflated zip (the wheel format) that zipfile, pip and installer read."""
    dos_time, dos_date = _dos_time(build_time() if mtime is None else mtime)
    central: list[bytes] = []
    offset = 0
    with open(path, "wb") as out:
        for name, blob in entries:
            encoded = name.encode("utf-8")
            flags = 0 if name.isascii() else 0x800
            data = blob.deflated + FINAL_BLOCK
            if offset > ZIP_LIMIT or len(data) > ZIP_LIMIT or blob.size > ZIP_LIMIT:
                raise BuildError(f"{name}: the wheel would need ZIP64 (over 4 GiB), which shipyard-core does not write")
            local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, dos_time, dos_date, blob.crc,
                                len(data), blob.size, len(encoded), 0) + encoded
            mode = 0o100755 if blob.executable else 0o100644
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, flags, 8, dos_time,
                                       dos_date, blob.crc, len(data), blob.size, len(encoded), 0, 0, 0, 0,
                                       mode << 16, offset) + encoded)
            out.write(local)
            out.write(data)
            offset += len(local) + len(data)
        if len(central) > 0xFFFF:
            raise BuildError(f"the wheel would hold {len(central)} files: over 65,535 needs ZIP64")
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0))
