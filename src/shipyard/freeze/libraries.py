"""Shared libraries: walk the ELF dependencies of a bundle, copy in what the system may lack,
and make every library find its dependencies inside the bundle (`$ORIGIN` run paths).

Only the libraries the manylinux policy assumes on every Linux system (glibc and friends)
are left out. Host files (libpython, lib-dynload modules, system libraries) are stripped
and get a run path relative to themselves, so nothing points at the build machine. Wheel
extension modules keep their own `$ORIGIN` run paths and are changed only when they need a
library the bundle has to supply.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
import subprocess
from functools import cache
from pathlib import Path

from shipyard_core.errors import ShipyardError

from shipyard.freeze.cache import build_cache
from shipyard.freeze.elf import is_elf, read_dynamic
from shipyard.freeze.layout import Bundle, Item

#: manylinux policy libraries (PEP 599 / auditwheel) and the dynamic loaders.
SYSTEM_LIBS = frozenset({
    "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1",
    "libresolv.so.2", "libnsl.so.1", "libgcc_s.so.1", "libstdc++.so.6", "libX11.so.6",
    "libXext.so.6", "libXrender.so.1", "libICE.so.6", "libSM.so.6", "libGL.so.1",
    "libgobject-2.0.so.0", "libgthread-2.0.so.0", "libglib-2.0.so.0",
    "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "ld-linux.so.2", "ld-linux-armhf.so.3",
    "ld64.so.2", "ld64.so.1", "linux-vdso.so.1",
})
LIB_DIR = "lib"
DEFAULT_DIRS = ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib")


@cache
def _ldconfig() -> dict[str, str]:
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    except OSError:
        return {}
    found: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        name, _, path = line.strip().partition(" => ")
        found.setdefault(name.split(" (")[0], path)
    return found


def _find_on_host(name: str, source: Path, search: list[str]) -> Path | None:
    origin = str(source.parent)
    dirs = [d.replace("$ORIGIN", origin).replace("${ORIGIN}", origin) for d in search]
    for d in dirs + [os.path.dirname(_ldconfig().get(name, "")), *DEFAULT_DIRS]:
        if d and os.path.isfile(os.path.join(d, name)):
            return Path(d, name).resolve()
    return None


def _relative_runpath(rel: str, target_dir: str = LIB_DIR) -> str:
    up = posixpath.relpath(target_dir, posixpath.dirname(rel) or ".")
    return "$ORIGIN" if up == "." else f"$ORIGIN/{up}"


def _patched(source: Path, runpath: list[str], host: bool) -> Path:
    """A cached copy of `source` with its run path replaced.

    A host file is also stripped, and gets DT_RPATH rather than DT_RUNPATH: the loader
    searches DT_RPATH before LD_LIBRARY_PATH, so a library path set on the machine cannot
    swap other copies of the bundled libraries in.
    """
    stat = source.stat()
    key = hashlib.sha256(f"v2\0{source}\0{stat.st_size}\0{stat.st_mtime_ns}\0{':'.join(runpath)}\0{host}".encode())
    out = build_cache() / "objects" / key.hexdigest()[:24] / source.name
    if out.exists():
        return out
    if not shutil.which("patchelf"):
        raise ShipyardError("freeze needs patchelf to make shared libraries relocatable (Debian: apt install patchelf)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{source.name}.{os.getpid()}.tmp")
    shutil.copyfile(source, tmp)
    if host and shutil.which("strip"):
        subprocess.run(["strip", "--strip-unneeded", str(tmp)], check=True, capture_output=True)
    args = ["--set-rpath", ":".join(runpath)] if runpath else ["--remove-rpath"]
    if host and runpath:
        args.append("--force-rpath")
    result = subprocess.run(["patchelf", *args, str(tmp)], capture_output=True, text=True)
    if result.returncode != 0:
        raise ShipyardError(f"patchelf failed on {source}: {result.stderr.strip()}")
    os.replace(tmp, out)
    return out


def _origin_dir(entry: str, base: str) -> str | None:
    """The bundle folder a `$ORIGIN`-relative run path entry names, for an ELF in `base`."""
    for token in ("${ORIGIN}", "$ORIGIN"):
        if entry.startswith(token):
            return posixpath.normpath(posixpath.join(base, entry[len(token):].lstrip("/")))
    return None


def _within_bundle(rel: str, dirs: list[str], name: str, bundle: Bundle) -> bool:
    base = posixpath.dirname(rel)
    return any(d is not None and posixpath.join(d, name) in bundle for d in (_origin_dir(e, base) for e in dirs))


def complete(bundle: Bundle, host_files: set[str]) -> Bundle:
    """Add the shared libraries the bundle's ELF files need; fix their run paths.

    `host_files` are the bundle paths that come from the host Python installation.
    Returns a new bundle; raises ShipyardError when a needed library is not found.
    """
    out = dict(bundle)
    host = set(host_files)
    todo = sorted(rel for rel, item in bundle.items() if item.source is not None and is_elf(item.source))
    done: set[str] = set()
    while todo:
        rel = todo.pop(0)
        if rel in done:
            continue
        done.add(rel)
        item = out[rel]
        info = read_dynamic(item.source)
        own = [d for d in info.runpath or info.rpath if d.startswith(("$ORIGIN", "${ORIGIN}"))]
        needs_lib_dir = False
        for name in info.needed:
            if name in SYSTEM_LIBS or _within_bundle(rel, own, name, out):
                continue
            needs_lib_dir = True
            dest = f"{LIB_DIR}/{name}"
            if dest not in out:
                found = _find_on_host(name, item.source, list(info.runpath or info.rpath))
                if found is None:
                    raise ShipyardError(f"shared library {name} (needed by {rel}) is not on this system")
                out[dest] = Item(source=found, mode=0o755)
                host.add(dest)
                todo.append(dest)
        if rel in host:
            runpath = [_relative_runpath(rel)] if needs_lib_dir or rel.startswith(f"{LIB_DIR}/lib") else []
            out[rel] = Item(source=_patched(item.source, runpath, host=True), mode=item.mode)
        elif needs_lib_dir:
            runpath = own + [_relative_runpath(rel)]
            out[rel] = Item(source=_patched(item.source, runpath, host=False), mode=item.mode)
    return out
