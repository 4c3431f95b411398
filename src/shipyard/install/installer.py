"""Install wheels into the target's scheme with `installer` (RECORD, INSTALLER, console scripts)."""

from __future__ import annotations

from pathlib import Path

from installer import install
from installer.destinations import SchemeDictionaryDestination
from installer.exceptions import InstallerError
from installer.sources import WheelFile
from shipyard_core.errors import ShipyardError

from shipyard.install.target import Target


def install_wheel(wheel: Path, target: Target, requested: bool) -> None:
    """Unpack one wheel into the target (no bytecode compilation, like uv); REQUESTED when asked for by name."""
    destination = SchemeDictionaryDestination(target.scheme, interpreter=str(target.python), script_kind="posix")
    extra = {"INSTALLER": b"shipyard\n", **({"REQUESTED": b""} if requested else {})}
    try:
        with WheelFile.open(wheel) as source:
            install(source, destination, additional_metadata=extra)
    except (InstallerError, ValueError, OSError) as exc:
        raise ShipyardError(f"cannot install this wheel: {exc}", file=wheel) from None
