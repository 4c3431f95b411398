"""The archive writers produce what the standard library writes and reads."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from pathlib import Path

from shipyard_core.archive import Member, Workers, deflate, tar_stream, write_tar_gz, write_zip

ENTRIES = {
    "pkg/__init__.py": Member(b""),
    "pkg/big.bin": Member(os.urandom(300_000) + b"text" * 150_000),
    "pkg/run.sh": Member(b"#!/bin/sh\necho hi\n", True),
    "pkg/" + "long_" * 30 + ".py": Member(b"x = 1\n" * 100),
    "pkg/ünïcode.txt": Member("ünïcode\n".encode()),
    **{f"pkg/many/m{i:03}.py": Member(f"VALUE = {i}\n".encode() * (i + 1)) for i in range(150)},
}


def stdlib_tar(entries: dict[str, Member]) -> bytes:
    expected = io.BytesIO()
    with tarfile.open(fileobj=expected, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, member in sorted(entries.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(member.data), 315532800, 0o755 if member.executable else 0o644
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(member.data))
    return expected.getvalue()


def test_tar_stream_is_what_tarfile_writes() -> None:
    assert tar_stream(sorted(ENTRIES.items()), mtime=315532800) == stdlib_tar(ENTRIES)


def test_parallel_gzip_is_valid_and_as_small_as_one_stream(tmp_path: Path) -> None:
    with Workers(2) as workers:
        write_tar_gz(tmp_path / "ours.tar.gz", sorted(ENTRIES.items()), workers, mtime=315532800)
    ours = (tmp_path / "ours.tar.gz").read_bytes()
    assert gzip.decompress(ours) == stdlib_tar(ENTRIES)
    single = gzip.compress(stdlib_tar(ENTRIES), compresslevel=6, mtime=0)
    assert len(ours) <= len(single) * 1.01
    with Workers(1) as workers:  # the same bytes, however many threads
        write_tar_gz(tmp_path / "alone.tar.gz", sorted(ENTRIES.items()), workers, mtime=315532800)
    assert (tmp_path / "alone.tar.gz").read_bytes() == ours


def test_zip_reads_back_with_modes_and_crcs(tmp_path: Path) -> None:
    with Workers(2) as workers:
        blobs = workers.map(deflate, list(ENTRIES.values()))
    write_zip(tmp_path / "ours.zip", list(zip(ENTRIES, blobs)), mtime=1700000000)
    with zipfile.ZipFile(tmp_path / "ours.zip") as archive:
        assert archive.testzip() is None
        assert archive.namelist() == list(ENTRIES)
        for info in archive.infolist():
            member = ENTRIES[info.filename]
            assert archive.read(info) == member.data
            assert info.external_attr >> 16 == (0o100755 if member.executable else 0o100644)
            assert info.date_time == (2023, 11, 14, 22, 13, 20)


def test_compression_is_the_same_on_any_thread() -> None:
    alone = [deflate(member).deflated for member in ENTRIES.values()]
    with Workers(4) as workers:
        threaded = [blob.deflated for blob in workers.map(deflate, list(ENTRIES.values()))]
    assert alone == threaded
