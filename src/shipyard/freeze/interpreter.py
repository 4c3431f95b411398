"""The host CPython that a bundle carries: where its library, standard library and headers are."""

from __future__ import annotations

import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from shipyard_core.errors import ShipyardError


@dataclass(frozen=True)
class Interpreter:
    version: str            # "3.11"
    libpython: Path         # the real file of libpython3.X.so.1.0
    libpython_name: str     # its soname, the name it gets in the bundle
    stdlib: Path            # .../lib/python3.X
    dynload: Path           # .../lib/python3.X/lib-dynload
    include: Path           # where Python.h is

    @property
    def stdlib_dest(self) -> str:
        """Where the standard library goes inside a bundle."""
        return f"lib/python{self.version}"


def host() -> Interpreter:
    """The CPython running shipyard (its base installation, not a virtual environment)."""
    if sys.implementation.name != "cpython" or not sys.platform.startswith("linux"):
        raise ShipyardError("freeze needs CPython on Linux")
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    soname = sysconfig.get_config_var("INSTSONAME") or ""
    if not (soname.startswith("libpython") and ".so" in soname):   # a static build: look for the shared one
        soname = f"libpython{version}.so.1.0"
    dirs = [sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("LIBPL"),
            f"/usr/lib/{sysconfig.get_config_var('MULTIARCH') or ''}", "/usr/lib", "/usr/local/lib"]
    for d in filter(None, dirs):
        candidate = Path(d) / soname
        if candidate.exists():
            return Interpreter(
                version=version,
                libpython=candidate.resolve(),
                libpython_name=soname,
                stdlib=Path(sysconfig.get_paths()["stdlib"]),
                dynload=Path(sysconfig.get_config_var("DESTSHARED")),
                include=Path(sysconfig.get_paths()["include"]),
            )
    raise ShipyardError(
        f"this Python ({sys.base_prefix}) has no shared libpython{version}; "
        "freeze needs a CPython built with --enable-shared (as pyenv and python.org builds are); "
        "for Debian's python3, install python3-dev, which brings the shared library"
    )
