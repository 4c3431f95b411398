"""Does the sdist really build the wheel? Build it from the sdist and compare.

The most common packaging bug is an sdist that silently lacks files: it builds on the
author's machine (from the source tree) and fails, or installs less, everywhere else.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from packaging.version import InvalidVersion, Version
from shipyard_core import distfile
from shipyard_core.distfile import DistFile, Finding
from shipyard_core.errors import ShipyardError

#: Core metadata header (as Dynamic names it) -> packaging's raw field name, where not regular.
_IRREGULAR = {"classifier": "classifiers", "license-file": "license_files", "platform": "platforms",
              "supported-platform": "supported_platforms", "project-url": "project_urls"}
_NOT_COMPARED = {"metadata_version", "dynamic"}


def rebuild_findings(sdist: DistFile, wheels: list[DistFile]) -> list[Finding]:
    """Build the wheel from `sdist` with its own backend; compare with PKG-INFO and a given wheel."""
    from shipyard.frontend import build_wheel_from_sdist

    with tempfile.TemporaryDirectory(prefix="shipyard-check-") as tmp:
        try:
            path = build_wheel_from_sdist(sdist.path, Path(tmp))
        except ShipyardError as exc:
            return [Finding("rebuild-failed", "error", f"the wheel does not build from the sdist: {exc.message}")]
        except (OSError, subprocess.SubprocessError) as exc:
            return [Finding("rebuild-failed", "error", f"the wheel does not build from the sdist: {exc}")]
        try:
            rebuilt = distfile.read(path)
        except distfile.DistError as exc:
            return [Finding("rebuild-invalid", "error", f"the wheel built from the sdist is unreadable: {exc.message}")]
    findings = [Finding("rebuild-invalid", "error", f"the wheel built from the sdist: {f.message}", f.path)
                for f in rebuilt.errors()]
    findings += _dynamic_findings(sdist, rebuilt)
    given = next((w for w in wheels if w.filename == rebuilt.filename), None)
    if given is not None:
        findings += _compare_wheels(given, rebuilt)
    return findings


def _raw_key(header: str) -> str:
    header = header.strip().lower()
    return _IRREGULAR.get(header, header.replace("-", "_"))


def _dynamic_findings(sdist: DistFile, wheel: DistFile) -> list[Finding]:
    """PEP 643: a field of PKG-INFO not marked Dynamic must be the same in every wheel."""
    raw = sdist.raw_metadata
    try:
        if Version(raw.get("metadata_version", "0")) < Version("2.2"):
            return []  # before 2.2 every field could change in the wheel
    except InvalidVersion:
        return []
    dynamic = {_raw_key(name) for name in raw.get("dynamic", [])}
    built = wheel.raw_metadata
    differing = sorted(key for key in (set(raw) | set(built)) - _NOT_COMPARED - dynamic
                       if _normalized(raw.get(key)) != _normalized(built.get(key)))
    if not differing:
        return []
    return [Finding("rebuild-metadata", "error", "the wheel built from the sdist differs in fields PKG-INFO "
                    f"does not mark Dynamic (PEP 643): {', '.join(differing)}", sdist.metadata_path)]


def _normalized(value: object) -> object:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return sorted(value)
    return value


def _compare_wheels(given: DistFile, rebuilt: DistFile) -> list[Finding]:
    """The wheel being checked and the one the sdist builds hold the same files and metadata."""
    findings: list[Finding] = []
    given_files = {m.path for m in given.members if m.is_file}
    rebuilt_files = {m.path for m in rebuilt.members if m.is_file}
    missing = sorted(given_files - rebuilt_files)
    extra = sorted(rebuilt_files - given_files)
    if missing:
        findings.append(Finding("rebuild-files", "error", f"{len(missing)} file(s) of {given.filename} are not in "
                                f"the wheel the sdist builds (the sdist lacks them?): {', '.join(missing[:5])}"))
    if extra:
        findings.append(Finding("rebuild-files", "error", f"the wheel the sdist builds has {len(extra)} file(s) "
                                f"{given.filename} lacks: {', '.join(extra[:5])}"))
    given_meta, rebuilt_meta = given.raw_metadata, rebuilt.raw_metadata
    differing = sorted(key for key in set(given_meta) | set(rebuilt_meta)
                       if _normalized(given_meta.get(key)) != _normalized(rebuilt_meta.get(key)))
    if differing:
        findings.append(Finding("rebuild-metadata", "error", f"the wheel the sdist builds has other metadata than "
                                f"{given.filename}: {', '.join(differing)}"))
    return findings
