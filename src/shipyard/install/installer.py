"""Install wheels into the target's scheme with `installer` (RECORD, INSTALLER, console scripts)."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from typing import BinaryIO

from installer import install
from installer.destinations import SchemeDictionaryDestination
from installer.exceptions import InstallerError
from installer.records import RecordEntry
from installer.sources import WheelFile
from installer.utils import Scheme
from shipyard_core.errors import ShipyardError

from shipyard.install.target import Target


class _Destination(SchemeDictionaryDestination):
    """Safe for several wheels at once (parent folders are created race-free: namespace packages,
    bin/); remembers the Python modules it writes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.modules: list[Path] = []

    def write_to_fs(self, scheme: Scheme, path: str, stream: BinaryIO, is_executable: bool) -> RecordEntry:
        full = Path(self.scheme_dict[scheme]) / path
        full.parent.mkdir(parents=True, exist_ok=True)
        if scheme in ("purelib", "platlib") and path.endswith(".py"):
            self.modules.append(full)
        return super().write_to_fs(scheme, path, stream, is_executable)


def install_wheel(wheel: Path, target: Target, requested: bool) -> list[Path]:
    """Unpack one wheel into the target; REQUESTED when asked for by name. Returns its .py files.

    Files left by an earlier install that its RECORD did not list are overwritten, as pip does.
    """
    destination = _Destination(target.scheme, interpreter=str(target.python), script_kind="posix",
                               overwrite_existing=True)
    extra = {"INSTALLER": b"shipyard\n", **({"REQUESTED": b""} if requested else {})}
    try:
        with WheelFile.open(wheel) as source:
            install(source, destination, additional_metadata=extra)
    except (InstallerError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ShipyardError(f"cannot install this wheel: {exc}", file=wheel) from None
    return destination.modules


def compile_bytecode(target: Target, modules: list[Path]) -> None:
    """Compile modules to .pyc with the target interpreter (its own magic number and paths).

    As with pip, modules that do not compile (tests written for another Python, templates) are
    skipped silently; they still import from source if they ever import.
    """
    if not modules:
        return
    listing = "\n".join(str(m) for m in modules) + "\n"
    try:
        subprocess.run([str(target.python), "-m", "compileall", "-q", "-q", "-i", "-"], input=listing, text=True,
                       capture_output=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ShipyardError(f"cannot compile bytecode: {exc}", file=target.python) from None
