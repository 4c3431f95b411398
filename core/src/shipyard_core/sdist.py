"""The source distribution: PEP 625 name, PKG-INFO, and every file needed to rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from shipyard_core.archive import TarGzWriter, atomic_output
from shipyard_core.metadata import core_metadata
from shipyard_core.project import Project

Contents = Callable[[str], tuple[bytes, bool]]  #: project-relative path -> (bytes, executable)


def sdist_filename(project: Project) -> str:
    return f"{project.distribution_name}-{project.version}.tar.gz"


def write_sdist(project: Project, files: list[str], contents: Contents, out_dir: Path) -> Path:
    """Write `{name}-{version}.tar.gz` into out_dir with `files` under one top folder."""
    target = out_dir / sdist_filename(project)
    top = target.name[: -len(".tar.gz")]
    entries = {f"{top}/{path}": path for path in files if path != "PKG-INFO"}
    entries[f"{top}/PKG-INFO"] = ""
    metadata = core_metadata(project)
    with atomic_output(target) as tmp, TarGzWriter(tmp) as archive:
        for name, path in sorted(entries.items()):
            if path:
                archive.add(name, *contents(path))
            else:
                archive.add(name, metadata)
    return target
