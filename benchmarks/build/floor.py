"""The floor: write the same files into a .tar.gz (the whole tree) and a .zip (the import
package) with nothing but tarfile/zipfile, at shipyard's compression level (6).

    python floor.py TREE PACKAGE OUTDIR [--concurrent]

Each file is read once. With --concurrent the two archives are written by two threads
(zlib releases the GIL), which is what a backend can reach on two cores.
"""

from __future__ import annotations

import io
import os
import sys
import tarfile
import zipfile
from concurrent.futures import ThreadPoolExecutor

LEVEL = 6


def files_of(tree: str) -> list[str]:
    found = []
    for folder, dirs, names in os.walk(tree):
        dirs.sort()
        rel = os.path.relpath(folder, tree)
        for name in names:
            found.append(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return sorted(found)


def write_tar(path: str, top: str, entries: list[tuple[str, bytes]]) -> None:
    import gzip

    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                compresslevel=LEVEL) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))


def write_zip(path: str, entries: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                        compress_type=zipfile.ZIP_DEFLATED, compresslevel=LEVEL)


def main(argv: list[str]) -> None:
    tree, package, out = argv[:3]
    concurrent = "--concurrent" in argv
    names = files_of(tree)
    entries = []
    for name in names:
        with open(os.path.join(tree, name), "rb") as f:
            entries.append((name, f.read()))
    wheel_entries = [(n, d) for n, d in entries if n.startswith(package + "/")]
    os.makedirs(out, exist_ok=True)
    top = os.path.basename(os.path.normpath(tree))
    tar_path, zip_path = os.path.join(out, "floor.tar.gz"), os.path.join(out, "floor.zip")
    if concurrent:
        with ThreadPoolExecutor(2) as pool:
            jobs = [pool.submit(write_tar, tar_path, top, entries), pool.submit(write_zip, zip_path, wheel_entries)]
            for job in jobs:
                job.result()
    else:
        write_tar(tar_path, top, entries)
        write_zip(zip_path, wheel_entries)


if __name__ == "__main__":
    main(sys.argv[1:])
