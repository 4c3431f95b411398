"""Build a shipyard-core project: load it, plan the files, write the sdist and the wheel.

Each file is read once and compressed once (on a few threads) for both archives. The wheel
is planned from the sdist's file set, so it equals the wheel built from the unpacked sdist.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from shipyard_core.archive import Blob, deflate_all
from shipyard_core.files import sdist_files, wheel_plan
from shipyard_core.project import Project, load
from shipyard_core.sdist import write_sdist
from shipyard_core.wheel import write_wheel


@dataclass
class BuildResult:
    project: Project
    sdist: Path | None = None
    wheel: Path | None = None


def read_files(root: Path, paths: list[str]) -> dict[str, Blob]:
    """Read and compress project files: project-relative path -> Blob."""
    contents: dict[str, tuple[bytes, bool]] = {}
    for path in paths:
        full = os.path.join(root, path)
        with open(full, "rb") as f:
            contents[path] = (f.read(), bool(os.fstat(f.fileno()).st_mode & 0o111))
    return deflate_all(contents)


def build(root: str | Path, out_dir: str | Path, *, sdist: bool = True, wheel: bool = True) -> BuildResult:
    """Build the sdist and/or the wheel of the project in `root` into `out_dir`."""
    project = load(root)
    out = Path(out_dir).resolve()
    files = sdist_files(project)
    plan = wheel_plan(project, files) if wheel else {}
    blobs = read_files(project.root, files if sdist else sorted(set(plan.values())))
    result = BuildResult(project)
    if sdist:
        result.sdist = write_sdist(project, blobs, out)
    if wheel:
        result.wheel = write_wheel(project, plan, blobs, out)
    return result


def build_editable(root: str | Path, out_dir: str | Path) -> Path:
    """A wheel whose .pth puts the project's source folder on sys.path (PEP 660)."""
    project = load(root)
    files = sdist_files(project)
    plan = {name: path for name, path in wheel_plan(project, files, complete=False).items()
            if name.split("/", 1)[0].endswith(".data")}
    source = (project.root / project.source).resolve()
    pth = {f"_{project.distribution_name}_editable.pth": f"{source}\n".encode()}
    return write_wheel(project, plan, read_files(project.root, sorted(set(plan.values()))), Path(out_dir), extra=pth)
