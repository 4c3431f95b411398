"""The wheel (PEP 427/491): package files, .data, and a .dist-info with METADATA, WHEEL,
entry_points.txt, licenses/ (PEP 639) and RECORD (sha256 and size of every file)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Mapping

from shipyard_core import __version__
from shipyard_core.archive import Member, Workers, atomic_output, deflate, record_hash, sha256_for, write_zip
from shipyard_core.metadata import core_metadata, entry_points_txt
from shipyard_core.project import Project

TAG = "py3-none-any"


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


PYTHON_SHEBANG = re.compile(rb"#!.*python[0-9.]*(?P<args>[ \t].*)?")


def script(member: Member) -> Member:
    """A script for the wheel's .data/scripts: a Python shebang becomes `#!python`, which the
    installer rewrites to the environment's interpreter (as setuptools' build_scripts does)."""
    first, newline, rest = member.data.partition(b"\n")
    match = PYTHON_SHEBANG.fullmatch(first.rstrip(b"\r"))
    if match is None:
        return Member(member.data, True)
    return Member(b"#!python" + (match["args"] or b"").rstrip() + newline + rest, True)


def write_wheel(project: Project, plan: dict[str, str], members: Mapping[str, Member], out_dir: Path,
                workers: Workers, extra: dict[str, bytes] | None = None) -> Path:
    """Write the wheel: `plan` maps wheel paths to project files (contents in `members`);
    `extra` adds generated files."""
    target = out_dir / wheel_filename(project)
    dist_info = dist_info_name(project)
    generated = sorted((extra or {}).items()) + list(dist_info_files(project).items())
    scripts = f"{project.distribution_name}-{project.version}.data/scripts/"
    names = list(plan) + [name for name, _ in generated]
    contents = [script(members[path]) if name.startswith(scripts) else members[path] for name, path in plan.items()]
    contents += [Member(data) for _, data in generated]
    sha256 = sha256_for(sum(len(member.data) for member in contents))
    entries = list(zip(names, workers.map(lambda member: deflate(member, sha256), contents)))
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    writer.writerows((name, record_hash(blob.sha256), blob.size) for name, blob in entries)
    writer.writerow((f"{dist_info}/RECORD", "", ""))
    entries.append((f"{dist_info}/RECORD", deflate(Member(record.getvalue().encode()))))
    with atomic_output(target) as tmp:
        write_zip(tmp, entries)
    return target


def write_metadata_dir(project: Project, directory: Path) -> str:
    """Write the .dist-info folder (prepare_metadata_for_build_*); returns its name."""
    for name, data in dist_info_files(project).items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return dist_info_name(project)
