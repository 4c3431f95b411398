"""Requirements from the command line and from pip-style requirements files."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import NormalizedName, canonicalize_name
from shipyard_core.errors import ShipyardError

from shipyard.install.direct import from_path, from_requirement, looks_like_path
from shipyard.install.finder import DistFile


@dataclass
class Inputs:
    """What to install and where from, gathered from arguments and requirements files."""

    requirements: list[Requirement] = field(default_factory=list)
    index_url: str | None = None
    extra_index_urls: list[str] = field(default_factory=list)
    direct: dict[NormalizedName, DistFile] = field(default_factory=dict)  # local files, folders, `name @ URL`
    constraints: list[Requirement] = field(default_factory=list)  # limit versions, never add packages

    def constrain(self, text: str, source: str | None = None, line: int | None = None) -> None:
        """Add one constraint (`name<specifiers>; marker`, as pip's -c files hold)."""
        requirement = parse_requirement(text, source, line)
        if requirement.url or requirement.extras:
            raise ShipyardError(f"a constraint is a name with versions (no extras, no URL): {text!r}", file=source,
                                field=f"line {line}" if line else None)
        self.constraints.append(requirement)

    def add(self, text: str, base: Path = Path(), source: str | None = None, line: int | None = None) -> None:
        """Add one requirement, path or `name @ URL` (paths are relative to `base`)."""
        try:
            if looks_like_path(text) and " @ " not in text and ";" not in text:
                requirement, dist = from_path(text, base)
            else:
                requirement = parse_requirement(text, source, line)
                if not requirement.url:
                    self.requirements.append(requirement)
                    return
                marker = requirement.marker
                requirement, dist = from_requirement(requirement, base)
                requirement.marker = marker
        except ShipyardError as exc:
            if source is None or exc.file == source:
                raise
            raise ShipyardError(str(exc), file=source, field=f"line {line}" if line else None) from None
        name = canonicalize_name(requirement.name)
        if name in self.direct and self.direct[name].url != dist.url:
            raise ShipyardError(f"{name} is given twice, as {self.direct[name].url} and {dist.url}", file=source)
        self.direct[name] = dist
        self.requirements.append(requirement)


def parse_requirement(text: str, source: str | None = None, line: int | None = None) -> Requirement:
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        where = f"line {line}" if line else None
        raise ShipyardError(f"not a PEP 508 requirement: {text!r} ({exc})", file=source, field=where) from None


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with comments removed and backslash continuations joined, with their first line number."""
    joined: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined.append((start, (pending + line).strip()))
        pending = ""
    if pending.strip():
        joined.append((start, pending.strip()))
    return [(n, line) for n, line in joined if line]


def read_file(path: Path, inputs: Inputs, seen: frozenset[Path] = frozenset(), constraints: bool = False) -> None:
    """Add a requirements (or, with `constraints`, a constraints) file's contents to `inputs`.

    Lines: requirements, `-r FILE`, `-c FILE`, `-i/--index-url URL`, `--extra-index-url URL`.
    """
    path = Path(path)
    if path.resolve() in seen:
        raise ShipyardError("requirements files include each other in a loop", file=path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ShipyardError(f"cannot read: {exc.strerror}", file=path) from None
    for number, line in _logical_lines(text):
        if " --hash" in line:
            raise ShipyardError("per-requirement --hash is not supported; install from a lock (--from-lock) "
                                "for verified files", file=path, field=f"line {number}")
        if not line.startswith("-"):
            if constraints:
                inputs.constrain(line, str(path), number)
            else:
                inputs.add(line, path.parent, str(path), number)
            continue
        words = shlex.split(line.replace("=", " ", 1) if line.startswith("--") else line)
        option, value = words[0], (words[1] if len(words) > 1 else "")
        if option in ("-r", "--requirement") and value:
            read_file(path.parent / value, inputs, seen | {path.resolve()}, constraints)
        elif option in ("-c", "--constraint") and value:
            read_file(path.parent / value, inputs, seen | {path.resolve()}, constraints=True)
        elif option in ("-i", "--index-url") and value:
            inputs.index_url = value
        elif option == "--extra-index-url" and value:
            inputs.extra_index_urls.append(value)
        else:
            raise ShipyardError(f"'{option}' is not supported in requirements files (supported: -r, -c, -i, "
                                "--index-url, --extra-index-url)", file=path, field=f"line {number}")
