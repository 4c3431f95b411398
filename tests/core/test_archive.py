"""The archive writers produce what the standard library writes and reads."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from pathlib import Path

from shipyard_core.archive import deflate, deflate_all, write_tar_gz, write_zip

ENTRIES = {
    "pkg/__init__.py": (b"", False),
    "pkg/big.bin": (os.urandom(300_000) + b"text" * 50_000, False),
    "pkg/run.sh": (b"#!/bin/sh\necho hi\n", True),
    "pkg/" + "long_" * 30 + ".py": (b"x = 1\n" * 100, False),
    "pkg/ünïcode.txt": ("ünïcode\n".encode(), False),
    **{f"pkg/many/m{i:03}.py": (f"VALUE = {i}\n".encode() * (i + 1), False) for i in range(150)},
}


def test_tar_gz_is_what_tarfile_writes(tmp_path: Path) -> None:
    blobs = deflate_all(ENTRIES)
    write_tar_gz(tmp_path / "ours.tar.gz", sorted(blobs.items()), mtime=315532800)
    expected = io.BytesIO()
    with tarfile.open(fileobj=expected, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, (data, executable) in sorted(ENTRIES.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 315532800, 0o755 if executable else 0o644
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(data))
    assert gzip.decompress((tmp_path / "ours.tar.gz").read_bytes()) == expected.getvalue()


def test_zip_reads_back_with_modes_and_crcs(tmp_path: Path) -> None:
    blobs = deflate_all(ENTRIES)
    write_zip(tmp_path / "ours.zip", sorted(blobs.items()), mtime=1700000000)
    with zipfile.ZipFile(tmp_path / "ours.zip") as archive:
        assert archive.testzip() is None
        assert archive.namelist() == sorted(ENTRIES)
        for info in archive.infolist():
            data, executable = ENTRIES[info.filename]
            assert archive.read(info) == data
            assert info.external_attr >> 16 == (0o100755 if executable else 0o100644)
            assert info.date_time == (2023, 11, 14, 22, 13, 20)


def test_compression_is_the_same_on_any_thread() -> None:
    alone = {name: deflate(data, executable).deflated for name, (data, executable) in ENTRIES.items()}
    threaded = {name: blob.deflated for name, blob in deflate_all(ENTRIES, workers=4).items()}
    assert alone == threaded
