"""Build a shipyard-core project: load it, plan the files, write the sdist and the wheel.

Each file is read once; compression runs on a few threads. The wheel is planned from the
sdist's file set, so it equals the wheel built from the unpacked sdist.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from shipyard_core.archive import Member, Workers
from shipyard_core.files import sdist_files, wheel_plan
from shipyard_core.project import Project, load
from shipyard_core.sdist import write_sdist
from shipyard_core.wheel import write_wheel


@dataclass
class BuildResult:
    project: Project
    sdist: Path | None = None
    wheel: Path | None = None


def read_files(root: Path, paths: list[str]) -> dict[str, Member]:
    """Project-relative path -> content and executable bit."""
    members: dict[str, Member] = {}
    for path in paths:
        with open(os.path.join(root, path), "rb") as f:
            members[path] = Member(f.read(), bool(os.fstat(f.fileno()).st_mode & 0o111))
    return members


def build(root: str | Path, out_dir: str | Path, *, sdist: bool = True, wheel: bool = True) -> BuildResult:
    """Build the sdist and/or the wheel of the project in `root` into `out_dir`."""
    project = load(root)
    out = Path(out_dir).resolve()
    files = sdist_files(project)
    plan = wheel_plan(project, files) if wheel else {}
    members = read_files(project.root, files if sdist else sorted(set(plan.values())))
    result = BuildResult(project)
    with Workers() as workers:
        if sdist:
            result.sdist = write_sdist(project, members, out, workers)
        if wheel:
            result.wheel = write_wheel(project, plan, members, out, workers)
    return result


def build_editable(root: str | Path, out_dir: str | Path) -> Path:
    """A wheel whose .pth puts the project's source folder on sys.path (PEP 660)."""
    project = load(root)
    plan = {name: path for name, path in wheel_plan(project, sdist_files(project), complete=False).items()
            if name.split("/", 1)[0].endswith(".data")}
    source = (project.root / project.source).resolve()
    pth = {f"_{project.distribution_name}_editable.pth": f"{source}\n".encode()}
    members = read_files(project.root, sorted(set(plan.values())))
    with Workers(1) as workers:
        return write_wheel(project, plan, members, Path(out_dir), workers, extra=pth)
