"""What is already installed in a target: dist-info folders, read from disk."""

from __future__ import annotations

import csv
import os
import shutil
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version


@dataclass(frozen=True)
class InstalledDist:
    """One installed distribution (its `.dist-info` folder)."""

    name: NormalizedName
    version: Version
    dist_info: Path

    @property
    def site(self) -> Path:
        return self.dist_info.parent

    def metadata_text(self) -> str:
        return (self.dist_info / "METADATA").read_text(encoding="utf-8", errors="replace")


def scan(site_dirs: list[Path]) -> dict[NormalizedName, InstalledDist]:
    """Every distribution installed in these folders, by normalized name."""
    found: dict[NormalizedName, InstalledDist] = {}
    for site in site_dirs:
        if not site.is_dir():
            continue
        for dist_info in sorted(site.glob("*.dist-info")):
            metadata = dist_info / "METADATA"
            if not metadata.is_file():
                continue
            with open(metadata, encoding="utf-8", errors="replace") as handle:
                headers = HeaderParser().parse(handle)
            try:
                version = Version(headers.get("Version", ""))
            except InvalidVersion:
                continue
            name = canonicalize_name(headers.get("Name", ""))
            if name:
                found.setdefault(name, InstalledDist(name, version, dist_info))
    return found


def uninstall(dist: InstalledDist, roots: list[Path]) -> list[Path]:
    """Remove a distribution's files as its RECORD lists them, then its dist-info; returns what went.

    Only files inside `roots` (the target's install folders) are touched, whatever RECORD says.
    """
    roots = [Path(os.path.normpath(root)) for root in roots]
    removed: list[Path] = []
    record = dist.dist_info / "RECORD"
    parents: set[Path] = set()
    if record.exists():
        with open(record, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        for row in rows:
            if not row or not row[0]:
                continue
            path = Path(os.path.normpath(dist.site / row[0]))
            if not any(root == path or root in path.parents for root in roots):
                continue
            targets = [path]
            if path.suffix == ".py":
                targets += list((path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"))
            for item in targets:
                if item.is_file() or item.is_symlink():
                    item.unlink()
                    removed.append(item)
                    parents.add(item.parent)
    shutil.rmtree(dist.dist_info, ignore_errors=True)
    for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        _prune_empty(parent, stop=dist.site)
    return removed


def _prune_empty(folder: Path, stop: Path) -> None:
    """Remove `folder` and its parents while they are empty (or hold only __pycache__), up to `stop`."""
    stop = Path(os.path.normpath(stop))
    while folder != stop and stop in folder.parents:
        pycache = folder / "__pycache__"
        if pycache.is_dir() and not any(pycache.iterdir()):
            pycache.rmdir()
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
