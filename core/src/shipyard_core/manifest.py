"""MANIFEST.in: the files its commands select, as setuptools' `include_package_data` sees them."""

from __future__ import annotations

import fnmatch
import shlex
from pathlib import Path

from shipyard_core.errors import BuildError
from shipyard_core.files import PatternSet

MANIFEST_IN = "MANIFEST.in"
COMMANDS = {"include", "exclude", "recursive-include", "recursive-exclude", "global-include",
            "global-exclude", "graft", "prune"}


def anchored(globs: list[str]) -> PatternSet:
    """Globs relative to one folder: `*` does not cross `/`, `*.txt` matches only at the top."""
    return PatternSet.of("/" + g.strip("/") for g in globs)


def _under(path: str, folder: str) -> bool:
    folder = folder.strip("/")
    return not folder or folder == "." or path.startswith(folder + "/")


def _name_matches(path: str, patterns: list[str]) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(path, p) for p in patterns)


def manifest_files(root: Path, candidates: list[str]) -> set[str]:
    """The project-relative files of `candidates` that `root/MANIFEST.in` selects."""
    path = root / MANIFEST_IN
    if not path.is_file():
        return set()
    selected: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            command, *args = shlex.split(line)
        except ValueError as exc:
            raise BuildError(f"cannot parse {line!r}: {exc}", file=MANIFEST_IN, field=f"line {number}") from None
        if command not in COMMANDS or not args or (command.startswith("recursive") and len(args) < 2):
            raise BuildError(f"cannot parse {line!r}: expected one of {', '.join(sorted(COMMANDS))} with patterns",
                             file=MANIFEST_IN, field=f"line {number}")
        if command in ("include", "exclude"):
            patterns = anchored(args)
            chosen = {c for c in candidates if patterns.match(c)}
        elif command in ("recursive-include", "recursive-exclude"):
            folder, patterns = args[0], args[1:]
            chosen = {c for c in candidates if _under(c, folder) and _name_matches(c, patterns)}
        elif command in ("global-include", "global-exclude"):
            chosen = {c for c in candidates if _name_matches(c, args)}
        else:
            chosen = {c for c in candidates if any(_under(c, folder) for folder in args)}
        if command in ("include", "recursive-include", "global-include", "graft"):
            selected |= chosen
        else:
            selected -= chosen
    return selected
