"""The native launcher: compiled once per Python version with the host's C compiler, then cached.

The freezer copies the cached binary and writes the app's settings into its
`shipyard_config` block (after the marker), so no compiler runs for later builds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

from shipyard_core.errors import ShipyardError

from shipyard.freeze.cache import build_cache
from shipyard.freeze.interpreter import Interpreter

SOURCE = Path(__file__).with_name("launcher.c")
MARKER = b"@@SHIPYARD-LAUNCHER-CONFIG@@"
CONFIG_SIZE = 1024


def _static_zlib() -> str | None:
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for d in (f"/usr/lib/{multiarch}", "/usr/lib64", "/usr/lib", "/usr/local/lib"):
        if os.path.exists(f"{d}/libz.a"):
            return f"{d}/libz.a"
    return None


def compile_launcher(interp: Interpreter) -> bytes:
    """The launcher binary for `interp` (zlib linked in statically, so it needs only libc)."""
    cc = os.environ.get("CC", "cc")
    if not shutil.which(cc):
        raise ShipyardError(f"freeze needs a C compiler ({cc}) to build its launcher the first time")
    zlib = _static_zlib()
    if zlib is None:
        raise ShipyardError("freeze needs zlib's static library (libz.a, Debian: zlib1g-dev)")
    source = SOURCE.read_bytes()
    key = hashlib.sha256(source + str(interp.include).encode() + (interp.include / "patchlevel.h").read_bytes()
                         + cc.encode()).hexdigest()[:20]
    cached = build_cache() / "launcher" / key
    if cached.exists():
        return cached.read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f"{key}.{os.getpid()}.tmp")
    cmd = [cc, "-O2", "-s", "-o", str(tmp), str(SOURCE), f"-I{interp.include}", zlib, "-ldl",
           "-ffile-prefix-map=" + str(SOURCE.parent) + "=.", "-Wl,--build-id=none"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise ShipyardError(f"cannot compile the launcher:\n{result.stderr.strip()}")
    os.replace(tmp, cached)
    return cached.read_bytes()


def configure(binary: bytes, settings: dict[str, str]) -> bytes:
    """A copy of the launcher with `settings` written into its config block."""
    at = binary.find(MARKER)
    if at < 0 or binary.find(MARKER, at + 1) >= 0:
        raise ShipyardError("the launcher binary has no single config block")
    text = MARKER + "".join(f"{k}={v}\n" for k, v in settings.items()).encode()
    if len(text) >= CONFIG_SIZE:
        raise ShipyardError("launcher settings too long")
    block = text.ljust(CONFIG_SIZE, b"\0")
    return binary[:at] + block + binary[at + CONFIG_SIZE:]
