"""The one error type the library raises for bad input."""

from __future__ import annotations

from pathlib import Path


class ShipyardError(Exception):
    """Bad input, said once and clearly: which file, which field, what was expected.

    `str(error)` reads like ``pyproject.toml: [project].version: expected a PEP 440
    version, got 'one'``.
    """

    def __init__(self, message: str, *, file: str | Path | None = None, field: str | None = None):
        self.message = message
        self.file = str(file) if file is not None else None
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.field) if part)
        return f"{where}: {self.message}" if where else self.message


class BuildError(ShipyardError):
    """A project cannot be built as configured."""


class UnsupportedLegacy(BuildError):
    """A setup.py / setup.cfg project needs setuptools itself (extensions, custom commands, ...)."""
