"""The two outputs: a one-folder app and a one-file app (launcher + payload), written atomically.

A bundle is a mapping of POSIX paths (relative to the app's root folder) to items. The
one-folder app is that tree with the launcher at its top. The one-file app is the launcher
followed by a payload that the launcher unpacks (see launcher/launcher.c):

    [launcher][deflated file data ...][index][trailer: 64 bytes]

    index entry: type 'd'|'f' (1 byte), mode (u32), data offset (u64), data size (u64),
                 unpacked size (u64), CRC-32 (u32), path length (u16), path (UTF-8)
    trailer:     b"SHIPYRD1", index offset (u64), index size (u64), entry count (u64),
                 mtime (u64), cache key (24 bytes, hex, NUL padded)

All integers are little endian. Entries are sorted and every file gets the same mtime, so
the same bundle gives the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import tempfile
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from shipyard_core.errors import ShipyardError

from shipyard.freeze.cache import build_cache

MANIFEST = "lib/shipyard-freeze.json"
TRAILER_MAGIC = b"SHIPYRD1"
TRAILER = struct.Struct("<8sQQQQ24s")


@dataclass(frozen=True)
class Item:
    """One file of a bundle: bytes made by the freezer, or a file to copy."""

    data: bytes | None = None
    source: Path | None = None
    mode: int = 0o644

    def read(self) -> bytes:
        return self.data if self.data is not None else self.source.read_bytes()


Bundle = dict[str, Item]


def is_ours(path: Path) -> bool:
    """Was `path` written by shipyard freeze (so it may be replaced)?"""
    if path.is_dir() and not path.is_symlink():
        return (path / MANIFEST).is_file() or not any(path.iterdir())
    if path.is_file():
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            if f.tell() < TRAILER.size:
                return False
            f.seek(-TRAILER.size, os.SEEK_END)
            return f.read(8) == TRAILER_MAGIC
    return not path.exists() and not path.is_symlink()


def check_output(path: Path) -> None:
    """Refuse, before anything is written, to replace something that is not a frozen app."""
    if not is_ours(path):
        raise ShipyardError("exists and is not an app made by shipyard freeze; "
                            "remove it or choose another --name / -o", file=path)


def _swap_into_place(tmp: Path, dest: Path) -> None:
    """Replace `dest` (ours, or absent) with `tmp` as atomically as the file system allows."""
    if dest.exists() and (dest.is_dir() or tmp.is_dir()):
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
        os.replace(dest, old / "app")
        os.replace(tmp, dest)
        shutil.rmtree(old)
    else:
        os.replace(tmp, dest)


def write_onedir(bundle: Bundle, launcher: bytes, dest: Path) -> None:
    """The one-folder app: `dest/` with the launcher `dest/<name>` and the bundle beside it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        tmp.chmod(0o755)
        for rel in sorted(bundle):
            item, target = bundle[rel], tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if item.source is not None:
                shutil.copyfile(item.source, target)
            else:
                target.write_bytes(item.data)
            target.chmod(item.mode)
        exe = tmp / dest.name
        exe.write_bytes(launcher)
        exe.chmod(0o755)
        _swap_into_place(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _folders(paths: list[str]) -> list[str]:
    return sorted({"/".join(p.split("/")[:i]) for p in paths for i in range(1, p.count("/") + 1)})


def payload(bundle: Bundle, start: int, mtime: int, level: int = 6) -> bytes:
    """The payload (data, index, trailer) for a launcher of `start` bytes."""
    files = sorted(bundle)

    cache = build_cache() / "deflate"

    def pack(rel: str) -> tuple[bytes, int, int]:
        data = bundle[rel].read()
        if len(data) < 65536:
            return zlib.compress(data, level), len(data), zlib.crc32(data)
        key = hashlib.sha256(data).hexdigest()
        cached = cache / key[:2] / f"{key}-{level}"
        try:
            packed = cached.read_bytes()
        except OSError:
            packed = zlib.compress(data, level)
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f"{cached.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_bytes(packed)
            os.replace(tmp, cached)
        return packed, len(data), zlib.crc32(data)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        packed = list(pool.map(pack, files))
    index = bytearray()
    for folder in _folders(files):
        name = folder.encode()
        index += struct.pack("<cIQQQIH", b"d", 0o700, 0, 0, 0, 0, len(name)) + name
    offset = start
    for rel, (data, size, crc) in zip(files, packed, strict=True):
        name = rel.encode()
        index += struct.pack("<cIQQQIH", b"f", bundle[rel].mode, offset, len(data), size, crc, len(name)) + name
        offset += len(data)
    blob = b"".join(data for data, _, _ in packed)
    key = hashlib.sha256(blob + index).hexdigest()[:16].encode()
    count = len(files) + len(_folders(files))
    trailer = TRAILER.pack(TRAILER_MAGIC, offset, len(index), count, mtime, key)
    return blob + bytes(index) + trailer


def write_onefile(bundle: Bundle, launcher: bytes, dest: Path, mtime: int) -> None:
    """The one-file app: launcher + payload, written beside `dest` and renamed over it."""
    data = launcher + payload(bundle, len(launcher), mtime)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.tmp-", dir=dest.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        tmp.chmod(0o755)
        _swap_into_place(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
