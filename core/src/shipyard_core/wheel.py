"""The wheel (PEP 427/491): package files, .data, and a .dist-info with METADATA, WHEEL,
entry_points.txt, licenses/ (PEP 639) and RECORD (sha256 and size of every file)."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from pathlib import Path
from typing import Callable

from shipyard_core import __version__
from shipyard_core.archive import ZipWriter, atomic_output
from shipyard_core.metadata import core_metadata, entry_points_txt
from shipyard_core.project import Project

TAG = "py3-none-any"
Contents = Callable[[str], tuple[bytes, bool]]  #: project-relative path -> (bytes, executable)


def wheel_filename(project: Project) -> str:
    return f"{project.distribution_name}-{project.version}-{TAG}.whl"


def dist_info_name(project: Project) -> str:
    return f"{project.distribution_name}-{project.version}.dist-info"


def dist_info_files(project: Project) -> dict[str, bytes]:
    """The .dist-info files except RECORD, keyed by their path inside the wheel."""
    dist_info = dist_info_name(project)
    files = {
        f"{dist_info}/METADATA": core_metadata(project),
        f"{dist_info}/WHEEL": (
            f"Wheel-Version: 1.0\nGenerator: shipyard-core {__version__}\nRoot-Is-Purelib: true\nTag: {TAG}\n"
        ).encode(),
    }
    if (entry_points := entry_points_txt(project)) is not None:
        files[f"{dist_info}/entry_points.txt"] = entry_points
    for path in project.license_files:
        files[f"{dist_info}/licenses/{path}"] = (project.root / path).read_bytes()
    return files


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def write_wheel(project: Project, plan: dict[str, str], contents: Contents, out_dir: Path,
                extra: dict[str, bytes] | None = None) -> Path:
    """Write the wheel: `plan` maps wheel paths to project files; `extra` adds generated files."""
    target = out_dir / wheel_filename(project)
    dist_info = dist_info_name(project)
    record: list[tuple[str, str, str]] = []
    with atomic_output(target) as tmp, ZipWriter(tmp) as archive:

        def add(name: str, data: bytes, executable: bool = False) -> None:
            archive.add(name, data, executable)
            record.append((name, _record_hash(data), str(len(data))))

        for name, path in plan.items():
            add(name, *contents(path))
        for name, data in sorted((extra or {}).items()):
            add(name, data)
        for name, data in dist_info_files(project).items():
            add(name, data)
        record.append((f"{dist_info}/RECORD", "", ""))
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(record)
        archive.add(f"{dist_info}/RECORD", text.getvalue().encode())
    return target


def write_metadata_dir(project: Project, directory: Path) -> str:
    """Write the .dist-info folder (prepare_metadata_for_build_*); returns its name."""
    for name, data in dist_info_files(project).items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return dist_info_name(project)
