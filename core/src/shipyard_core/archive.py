"""Reproducible archives, compressed on a few threads.

The wheel (zip) deflates each file on its own, as zip requires; files are spread over the
threads. The sdist (tar.gz) is one gzip stream cut into blocks that are deflated in parallel,
each primed with the 32 KiB before it (as pigz does), so it is as small as a single-stream
gzip. zlib releases the GIL, so threads give real parallelism.

The same entries give the same bytes: entries come sorted from the caller, timestamps are
SOURCE_DATE_EPOCH or a fixed 1980-01-01, modes are 0644/0755, owners are 0 with no names,
the gzip header carries no time or file name, and block boundaries are fixed. Output goes to
a temporary file in the target folder and is renamed into place, so a failed build leaves
nothing behind.
"""

from __future__ import annotations

import os
import struct
import threading
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, TypeVar

from shipyard_core.errors import BuildError

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
COMPRESS_LEVEL = 6
FINAL_BLOCK = b"\x03\x00"  # an empty, final, fixed-Huffman deflate block
GZIP_BLOCK = 256 * 1024  # the sdist's gzip stream is deflated in blocks of this size
WINDOW = 32 * 1024  # each block is primed with the data before it (deflate's window)
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, mtime 0, OS unknown (as gzip.py)
TAR_BLOCK = 512  # TAR_BLOCK
TAR_RECORD = 20 * TAR_BLOCK  # tarfile.RECORDSIZE
HASHLIB_THRESHOLD = 16 * 1024 * 1024
ZIP_LIMIT = 0xFFFF_FFFF


def build_time() -> int:
    """SOURCE_DATE_EPOCH when set (never before 1980), else 1980-01-01."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return max(int(value), ZIP_EPOCH) if value.isdigit() else ZIP_EPOCH


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; it becomes `target` only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.part")
    os.close(os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Member:
    """One file's content, as it goes into the archives."""

    data: bytes
    executable: bool = False


@dataclass(frozen=True)
class Blob:
    """A zip entry's content: deflated on its own, with its CRC-32 and sha256."""

    member: Member
    deflated: bytes  #: raw deflate, byte-aligned, without a final block
    crc: int
    sha256: bytes

    @property
    def size(self) -> int:
        return len(self.member.data)


_compressors = threading.local()


def sha256_for(total: int) -> Callable[[bytes], Any]:
    """The sha256 to use for `total` bytes: CPython's built-in one loads in a millisecond,
    OpenSSL's (hashlib) takes ~12 ms to load and then hashes ~3x faster."""
    if total < HASHLIB_THRESHOLD:
        for module in ("_sha2", "_sha256"):  # the built-in module's name in 3.12+ / 3.11
            try:
                return __import__(module).sha256
            except ImportError:
                pass
    import hashlib

    return hashlib.sha256


def record_hash(sha256: bytes) -> str:
    """A digest as a wheel's RECORD writes it: `sha256=` and urlsafe base64 without padding."""
    import base64

    return "sha256=" + base64.urlsafe_b64encode(sha256).rstrip(b"=").decode()


def deflate(member: Member, sha256: Callable[[bytes], Any] | None = None) -> Blob:
    """Compress one file (a full flush resets the dictionary, so the output is the same as a
    fresh compressor's, whichever thread does it)."""
    compressor = getattr(_compressors, "compressor", None)
    if compressor is None:
        compressor = _compressors.compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    data = member.data
    deflated = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
    digest = (sha256 or sha256_for(len(data)))(data).digest()
    return Blob(member, deflated, zlib.crc32(data), digest)


T = TypeVar("T")
R = TypeVar("R")


class Workers:
    """A few threads for compression; work is handed over in batches to keep overhead low."""

    def __init__(self, count: int | None = None):
        self.count = max(1, min(count or os.cpu_count() or 1, 4))
        self._pool: ThreadPoolExecutor | None = None

    def map(self, function: Callable[[T], R], items: Sequence[T], batch: int = 32) -> list[R]:
        if self.count == 1 or len(items) <= batch:
            return [function(item) for item in items]
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self.count)
        size = max(1, min(batch, -(-len(items) // (self.count * 4))))
        batches = [items[i:i + size] for i in range(0, len(items), size)]
        results: list[R] = []
        for done in self._pool.map(lambda part: [function(item) for item in part], batches):
            results.extend(done)
        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _tar_header(name: str, member: Member, mtime: int) -> bytes:
    """A tar header, the bytes tarfile writes in PAX format (plain ustar for a short ASCII name)."""
    mode, size = (0o755 if member.executable else 0o644), len(member.data)
    if len(name) > 100 or not name.isascii() or size >= 8**11:
        import tarfile

        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = size, mtime, mode, 0, 0, "", ""
        return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
    header = bytearray(TAR_BLOCK)
    header[0:len(name)] = name.encode("ascii")
    header[100:148] = b"%07o\0%07o\0%07o\0%011o\0%011o\0" % (mode, 0, 0, size, mtime)
    header[148:156] = b" " * 8
    header[156:157] = b"0"  # a regular file
    header[257:265] = b"ustar\x0000"
    header[148:155] = b"%06o\0" % sum(header)
    return bytes(header)


def tar_stream(entries: Iterable[tuple[str, Member]], mtime: int | None = None) -> bytes:
    """The uncompressed PAX tar of the entries, byte for byte what tarfile writes."""
    mtime = build_time() if mtime is None else mtime
    parts: list[bytes] = []
    size = 0
    for name, member in entries:
        header = _tar_header(name, member, mtime)
        padding = b"\0" * (-len(member.data) % TAR_BLOCK)
        parts += (header, member.data, padding)
        size += len(header) + len(member.data) + len(padding)
    end = 2 * TAR_BLOCK
    parts.append(b"\0" * (end + (-(size + end) % TAR_RECORD)))
    return b"".join(parts)


def _deflate_block(job: tuple[bytes, memoryview, bool]) -> bytes:
    dictionary, block, final = job
    if dictionary:
        compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15, zdict=dictionary)
    else:
        compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(block) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def write_tar_gz(path: Path, entries: Iterable[tuple[str, Member]], workers: Workers, mtime: int | None = None) -> None:
    """A reproducible .tar.gz, its gzip stream deflated in parallel blocks."""
    stream = memoryview(tar_stream(entries, mtime))
    starts = range(0, len(stream), GZIP_BLOCK)
    jobs = [(bytes(stream[max(0, i - WINDOW):i]), stream[i:i + GZIP_BLOCK], i + GZIP_BLOCK >= len(stream))
            for i in starts]
    with open(path, "wb") as out:
        out.write(GZIP_HEADER)
        for deflated in workers.map(_deflate_block, jobs, batch=1):
            out.write(deflated)
        out.write(struct.pack("<II", zlib.crc32(stream), len(stream) & 0xFFFF_FFFF))


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
            executable = blob.member.executable
            data = blob.deflated + FINAL_BLOCK
            if offset > ZIP_LIMIT or len(data) > ZIP_LIMIT or blob.size > ZIP_LIMIT:
                raise BuildError(f"{name}: the wheel would need ZIP64 (over 4 GiB), which shipyard-core does not write")
            local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, dos_time, dos_date, blob.crc,
                                len(data), blob.size, len(encoded), 0) + encoded
            mode = 0o100755 if executable else 0o100644
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
