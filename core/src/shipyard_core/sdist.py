"""The source distribution: PEP 625 name, PKG-INFO, and every file needed to rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from shipyard_core.archive import Member, Workers, atomic_output, write_tar_gz
from shipyard_core.metadata import core_metadata
from shipyard_core.project import Project


def sdist_filename(project: Project) -> str:
    return f"{project.distribution_name}-{project.version}.tar.gz"


def write_sdist(project: Project, members: Mapping[str, Member], out_dir: Path, workers: Workers) -> Path:
    """Write `{name}-{version}.tar.gz` into out_dir: the files of `members` (project-relative
    path -> content) under one top folder, with a fresh PKG-INFO."""
    target = out_dir / sdist_filename(project)
    top = target.name[: -len(".tar.gz")]
    entries = {f"{top}/{path}": member for path, member in members.items() if path != "PKG-INFO"}
    entries[f"{top}/PKG-INFO"] = Member(core_metadata(project))
    with atomic_output(target) as tmp:
        write_tar_gz(tmp, sorted(entries.items()), workers)
    return target
