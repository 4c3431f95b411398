"""`shipyard migrate`: a setup.py / setup.cfg project -> an equivalent pyproject.toml.

The tables come from `shipyard_core.legacy.convert`, the same conversion `shipyard build`
uses for legacy projects. The migration is proven before anything is written: the wheel is
built from the legacy files and from a copy of the project with the new pyproject.toml, and
the two must hold the same files with the same bytes and the same metadata.
"""

from __future__ import annotations

import email.parser
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipyard_core import __version__ as core_version
from shipyard_core.build import build
from shipyard_core.errors import ShipyardError
from shipyard_core.files import sdist_files
from shipyard_core.legacy import Conversion, convert, is_legacy
from shipyard_core.project import PYPROJECT, load, read_pyproject

from shipyard.scaffold.fs import atomic_write
from shipyard.scaffold.toml import dumps

PROJECT_ORDER = [
    "name", "version", "dynamic", "description", "readme", "requires-python", "license", "license-files", "authors",
    "maintainers", "keywords", "classifiers", "dependencies", "optional-dependencies", "urls", "scripts",
    "gui-scripts", "entry-points",
]
BUILD_SYSTEM = {"requires": [f"shipyard-core>={core_version}"], "build-backend": "shipyard_core.backend"}
LEGACY_CFG_SECTIONS = re.compile(r"^(metadata|options(\..*)?|bdist_wheel|sdist|egg_info|aliases)$")
HEADER_RE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


@dataclass
class Migration:
    """What `migrate` found and did."""

    root: Path
    text: str  #: the pyproject.toml
    notes: list[str]
    differences: list[str] = field(default_factory=list)
    written: bool = False
    removed: list[str] = field(default_factory=list)

    @property
    def equivalent(self) -> bool:
        return not self.differences


def pyproject_text(conversion: Conversion, existing: str | None = None) -> str:
    """The pyproject.toml for a conversion; other tables of an existing file are kept."""
    project = {k: conversion.project[k] for k in PROJECT_ORDER if k in conversion.project}
    document: dict[str, Any] = {"build-system": BUILD_SYSTEM, "project": project}
    if conversion.tool:
        document["tool.shipyard"] = conversion.tool
    text = dumps(document)
    if existing:
        kept = _without_tables(existing, lambda name: name == "build-system" or name.startswith("build-system."))
        if kept.strip():
            text += "\n" + kept.strip() + "\n"
    return text


def _without_tables(text: str, drop) -> str:
    """TOML text minus the tables whose names `drop` accepts (line-based, comments kept)."""
    out, dropping = [], False
    for line in text.splitlines():
        if match := HEADER_RE.match(line):
            dropping = drop(match[1].replace(" ", "").replace('"', ""))
        if not dropping:
            out.append(line)
    return "\n".join(out)


def migrate(root: str | Path, *, dry_run: bool = False, remove_setup_py: bool = False) -> Migration:
    """Convert, prove, and (unless `dry_run` or the proof fails) write pyproject.toml."""
    root = Path(root).resolve()
    pyproject = root / PYPROJECT
    existing = None
    if pyproject.is_file():
        data = read_pyproject(pyproject)
        if "project" in data:
            raise ShipyardError("already has a [project] table: nothing to migrate", file=pyproject)
        if "shipyard" in data.get("tool", {}):
            raise ShipyardError("already has a [tool.shipyard] table: remove it to migrate", file=pyproject)
        existing = pyproject.read_text(encoding="utf-8")
    if not is_legacy(root):
        raise ShipyardError("no setup.py or setup.cfg here: nothing to migrate", file=root)
    conversion = convert(root)
    migration = Migration(root, pyproject_text(conversion, existing), list(conversion.notes))
    migration.differences = prove(root, migration.text, remove_setup_py=remove_setup_py)
    if dry_run or migration.differences:
        return migration
    atomic_write(pyproject, migration.text)
    migration.written = True
    if remove_setup_py:
        migration.removed = remove_legacy_files(root)
    return migration


def prove(root: Path, text: str, *, remove_setup_py: bool = False) -> list[str]:
    """Differences between the wheel built the legacy way and with `text` as pyproject.toml."""
    with tempfile.TemporaryDirectory(prefix="shipyard-migrate-") as tmp:
        before = build(root, Path(tmp) / "before", sdist=False)
        copy = Path(tmp) / "after-src"
        for path in sdist_files(before.project):
            target = copy / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / path, target)
        (copy / PYPROJECT).write_text(text, encoding="utf-8")
        if remove_setup_py:
            remove_legacy_files(copy)
        try:
            load(copy)
        except ShipyardError as exc:
            return [f"the new pyproject.toml does not load: {exc}"]
        after = build(copy, Path(tmp) / "after", sdist=False)
        return compare_wheels(before.wheel, after.wheel)


def _wheel_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith(".dist-info/RECORD")}


def _metadata_fields(data: bytes) -> tuple[list[tuple[str, str]], str]:
    message = email.parser.BytesParser().parsebytes(data)
    return [(k, str(v)) for k, v in message.items()], message.get_payload()


def _unversioned(name: str) -> str:
    """A wheel path without its `{name}-{version}.dist-info/` or `.data/` folder name."""
    top, _, rest = name.partition("/")
    return f"{top.rsplit('.', 1)[-1]}/{rest}" if top.endswith((".dist-info", ".data")) else name


def compare_wheels(before: Path, after: Path) -> list[str]:
    """Human-readable differences in file names, contents and metadata; empty when equal."""
    differences = []
    if before.name != after.name:
        differences.append(f"wheel name: {before.name} before, {after.name} after")
    old, new = _wheel_files(before), _wheel_files(after)
    old = {_unversioned(k): v for k, v in old.items()}
    new = {_unversioned(k): v for k, v in new.items()}
    for name in sorted(old.keys() - new.keys()):
        differences.append(f"only in the legacy build: {name}")
    for name in sorted(new.keys() - old.keys()):
        differences.append(f"only in the migrated build: {name}")
    for name in sorted(old.keys() & new.keys()):
        if old[name] == new[name]:
            continue
        if name == "dist-info/METADATA":
            (a_fields, a_body), (b_fields, b_body) = _metadata_fields(old[name]), _metadata_fields(new[name])
            for entry in [f for f in a_fields if f not in b_fields]:
                differences.append(f"METADATA {entry[0]}: {entry[1]!r} only in the legacy build")
            for entry in [f for f in b_fields if f not in a_fields]:
                differences.append(f"METADATA {entry[0]}: {entry[1]!r} only in the migrated build")
            if a_body != b_body:
                differences.append("METADATA description (long_description) differs")
        else:
            differences.append(f"contents differ: {name}")
    return differences


def remove_legacy_files(root: Path) -> list[str]:
    """Delete setup.py, and setup.cfg's packaging sections (the whole file when nothing else is left)."""
    removed = []
    if (root / "setup.py").is_file():
        (root / "setup.py").unlink()
        removed.append("setup.py")
    cfg = root / "setup.cfg"
    if cfg.is_file():
        rest = _without_tables(cfg.read_text(encoding="utf-8"), lambda name: bool(LEGACY_CFG_SECTIONS.match(name)))
        if rest.strip():
            atomic_write(cfg, rest.strip() + "\n")
            removed.append("setup.cfg [metadata] and [options]")
        else:
            cfg.unlink()
            removed.append("setup.cfg")
    return removed
