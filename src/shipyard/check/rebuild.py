"""Does the sdist really build the wheel? Build it from the sdist and compare.

The most common packaging bug is an sdist that silently lacks files: it builds on the
author's machine (from the source tree) and fails, or installs less, everywhere else.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from packaging.metadata import Metadata
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
        except Exception as exc:  # noqa: BLE001 - a crash in the builder is not the sdist's fault
            return [Finding("rebuild-crashed", "warning", "shipyard could not rebuild the wheel (internal "
                            f"error {type(exc).__name__}: {exc}); the sdist was not verified")]
        try:
            rebuilt = distfile.read(path)
        except distfile.DistError as exc:
            return [Finding("rebuild-invalid", "error", f"the wheel built from the sdist is unreadable: {exc.message}")]
    # Today's backend may judge differently from the one that built the sdist's wheel: a warning.
    findings = [Finding("rebuild-invalid", "warning", f"the wheel built from the sdist: {f.message}", f.path)
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
    differing = [key for key in _differing(raw, wheel.raw_metadata) if key not in dynamic]
    if not differing:
        return []
    return [Finding("rebuild-metadata", "error", "the wheel built from the sdist differs in fields PKG-INFO "
                    f"does not mark Dynamic (PEP 643): {', '.join(differing)}", sdist.metadata_path)]


def _differing(old: dict, new: dict) -> list[str]:
    """Fields whose values differ, leaving out those a newer backend adds because a newer
    metadata version than `old` declares has them (License-File in 2.4, Import-Name in 2.5)."""
    try:
        declared = Version(old.get("metadata_version", "0"))
    except InvalidVersion:
        declared = Version("0")

    def newer(key: str) -> bool:
        added = getattr(Metadata.__dict__.get(key), "added", "1.0")
        return key not in old and Version(added) > declared

    return sorted(key for key in (set(old) | set(new)) - _NOT_COMPARED
                  if _normalized(old.get(key)) != _normalized(new.get(key)) and not newer(key))


def _normalized(value: object) -> object:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return sorted(value)
    return value


def _installed_files(wheel: DistFile) -> set[str]:
    """The files a wheel installs, leaving out its .dist-info (which a newer backend lays out anew)."""
    dist_info = wheel.metadata_path.split("/")[0] + "/"
    return {m.path for m in wheel.members if m.is_file and not m.path.startswith(dist_info)}


def _compare_wheels(given: DistFile, rebuilt: DistFile) -> list[Finding]:
    """The wheel being checked and the one the sdist builds hold the same files and metadata."""
    findings: list[Finding] = []
    given_files, rebuilt_files = _installed_files(given), _installed_files(rebuilt)
    missing = sorted(given_files - rebuilt_files)
    extra = sorted(rebuilt_files - given_files)
    if missing:
        findings.append(Finding("rebuild-files", "error", f"{len(missing)} file(s) of {given.filename} are not in "
                                f"the wheel the sdist builds (the sdist lacks them?): {', '.join(missing[:5])}"))
    if extra:
        findings.append(Finding("rebuild-files", "error", f"the wheel the sdist builds has {len(extra)} file(s) "
                                f"{given.filename} lacks: {', '.join(extra[:5])}"))
    differing = _differing(given.raw_metadata, rebuilt.raw_metadata)
    if differing:
        findings.append(Finding("rebuild-metadata", "error", f"the wheel the sdist builds has other metadata than "
                                f"{given.filename}: {', '.join(differing)}"))
    return findings
