"""Build a shipyard-core project: load it, plan the files, write the sdist and the wheel.

Each file is read once; the two archives are compressed concurrently (zlib releases the
GIL). The wheel is planned from the sdist's file set, so it equals the wheel built from the
unpacked sdist.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from shipyard_core.files import sdist_files, wheel_plan
from shipyard_core.project import Project, load
from shipyard_core.sdist import write_sdist
from shipyard_core.wheel import dist_info_name, write_wheel


@dataclass
class BuildResult:
    project: Project
    sdist: Path | None = None
    wheel: Path | None = None


class SourceFiles:
    """Contents of project files, read once and kept for every writer."""

    def __init__(self, root: Path, paths: list[str]):
        self.root = root
        self._cache: dict[str, tuple[bytes, bool]] = {}
        for path in paths:
            self._cache[path] = self._read(path)

    def _read(self, path: str) -> tuple[bytes, bool]:
        full = os.path.join(self.root, path)
        with open(full, "rb") as f:
            data = f.read()
        return data, bool(os.stat(full).st_mode & 0o111)

    def __call__(self, path: str) -> tuple[bytes, bool]:
        if path not in self._cache:
            self._cache[path] = self._read(path)
        return self._cache[path]


def build(root: str | Path, out_dir: str | Path, *, sdist: bool = True, wheel: bool = True) -> BuildResult:
    """Build the sdist and/or the wheel of the project in `root` into `out_dir`."""
    project = load(root)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    files = sdist_files(project)
    plan = wheel_plan(project, files) if wheel else {}
    contents = SourceFiles(project.root, files if sdist else list(plan.values()))
    result = BuildResult(project)
    if sdist and wheel:
        with ThreadPoolExecutor(2) as pool:
            sdist_job = pool.submit(write_sdist, project, files, contents, out)
            wheel_job = pool.submit(write_wheel, project, plan, contents, out)
            result.sdist, result.wheel = sdist_job.result(), wheel_job.result()
    elif sdist:
        result.sdist = write_sdist(project, files, contents, out)
    elif wheel:
        result.wheel = write_wheel(project, plan, contents, out)
    return result


def build_editable(root: str | Path, out_dir: str | Path) -> Path:
    """A wheel whose .pth puts the project's source folder on sys.path (PEP 660)."""
    project = load(root)
    files = sdist_files(project)
    plan = {name: path for name, path in wheel_plan(project, files, complete=False).items() if name.split("/", 1)[0].endswith(".data")}
    source = (project.root / project.source).resolve()
    pth = {f"_{project.distribution_name}_editable.pth": f"{source}\n".encode()}
    return write_wheel(project, plan, SourceFiles(project.root, list(plan.values())), Path(out_dir), extra=pth)


__all__ = ["BuildResult", "build", "build_editable", "dist_info_name"]
