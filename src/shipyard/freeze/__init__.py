"""Standalone executables: `freeze()` turns a script, module or project into a one-folder or
one-file app that carries its own CPython and runs where no Python is installed."""

from shipyard.freeze.freezer import FreezeOptions, FreezeResult, freeze

__all__ = ["FreezeOptions", "FreezeResult", "freeze"]
