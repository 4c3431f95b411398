"""Install wheels into the target's scheme with `installer` (RECORD, INSTALLER, console scripts)."""

from __future__ import annotations

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
    """Safe for several wheels at once: parent folders are created race-free (namespace packages, bin/)."""

    def write_to_fs(self, scheme: Scheme, path: str, stream: BinaryIO, is_executable: bool) -> RecordEntry:
        (Path(self.scheme_dict[scheme]) / path).parent.mkdir(parents=True, exist_ok=True)
        return super().write_to_fs(scheme, path, stream, is_executable)


def install_wheel(wheel: Path, target: Target, requested: bool) -> None:
    """Unpack one wheel into the target (no bytecode compilation, like uv); REQUESTED when asked for by name.

    Files left by an earlier install that its RECORD did not list are overwritten, as pip does.
    """
    destination = _Destination(target.scheme, interpreter=str(target.python), script_kind="posix",
                               overwrite_existing=True)
    extra = {"INSTALLER": b"shipyard\n", **({"REQUESTED": b""} if requested else {})}
    try:
        with WheelFile.open(wheel) as source:
            install(source, destination, additional_metadata=extra)
    except (InstallerError, ValueError, OSError) as exc:
        raise ShipyardError(f"cannot install this wheel: {exc}", file=wheel) from None
