"""Check distribution files: the shared file validation, the readme, the sdist rebuild."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shipyard_core import distfile
from shipyard_core.distfile import DistFile, Finding
from shipyard_core.errors import ShipyardError

from shipyard.check.readme import readme_findings
from shipyard.check.rebuild import rebuild_findings

DIST_SUFFIXES = (".whl", ".tar.gz", ".zip")


@dataclass
class Report:
    """The findings for one file; `dist` is None when it is not a readable distribution."""

    path: Path
    dist: DistFile | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def passed(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def as_dict(self) -> dict:
        return {
            "file": str(self.path),
            "kind": self.dist.kind if self.dist else None,
            "name": self.dist.name if self.dist else None,
            "version": str(self.dist.version) if self.dist else None,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [{"code": f.code, "severity": f.severity, "message": f.message, "path": f.path}
                         for f in self.findings],
        }


def find_dists(arguments: list[str | Path], default: Path = Path("dist")) -> list[Path]:
    """The files to check: arguments as given (a folder means its distributions), else dist/*."""
    paths = [Path(a) for a in arguments] or [default]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(DIST_SUFFIXES))
            if not inside:
                raise ShipyardError("no distributions (.whl, .tar.gz) in this folder; build them with "
                                    "'shipyard build'", file=path)
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            hint = "; build them with 'shipyard build'" if not arguments else ""
            raise ShipyardError(f"no such file or folder{hint}", file=path)
    return list(dict.fromkeys(found))


def read_dist(path: Path) -> Report:
    """Read one file with the shared validation; an unreadable one becomes one error."""
    try:
        dist = distfile.read(path)
    except distfile.DistError as exc:
        return Report(path, None, [Finding("not-a-distribution", "error", exc.message)])
    except OSError as exc:
        return Report(path, None, [Finding("unreadable", "error", f"cannot be read: {exc.strerror or exc}")])
    return Report(path, dist, list(dist.findings))


def check_files(paths: list[Path], *, rebuild: bool = True) -> list[Report]:
    """Check every file; sdists are rebuilt (and compared with a wheel of the same name given)."""
    reports = [read_dist(path) for path in paths]
    wheels = [r.dist for r in reports if r.dist is not None and r.dist.kind == "wheel"]
    for report in reports:
        dist = report.dist
        if dist is None:
            continue
        if not any(f.code == "metadata-invalid" for f in report.findings):
            report.findings += readme_findings(dist)
        if rebuild and dist.kind == "sdist" and not report.errors:
            report.findings += rebuild_findings(dist, wheels)
    return reports
