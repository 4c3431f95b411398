"""Publish files: check them, then upload sdists before wheels, one outcome per file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from shipyard_core.distfile import DistFile, Finding
from shipyard_core.errors import ShipyardError

from shipyard.check.run import Report, check_files, read_dist
from shipyard.publish.credentials import Credentials
from shipyard.publish.form import MultipartBody, form_fields
from shipyard.publish.repositories import Repository
from shipyard.publish.upload import Uploader, UploadFailed

Status = Literal["uploaded", "skipped", "failed", "not attempted"]


@dataclass
class Outcome:
    path: Path
    status: Status
    message: str = ""

    def as_dict(self) -> dict:
        return {"file": str(self.path), "status": self.status, "message": self.message}


class Display(Protocol):
    """What publish tells the user while it works (a progress bar, or plain lines)."""

    def warning(self, message: str) -> None: ...
    def start(self, path: Path, total: int) -> None: ...
    def advance(self, sent: int, total: int) -> None: ...
    def retry(self, message: str) -> None: ...
    def finish(self, outcome: Outcome) -> None: ...


def upload_order(dists: list[DistFile]) -> list[DistFile]:
    """Sdists first (an index then knows the project's source), wheels after, otherwise as given."""
    return sorted(dists, key=lambda dist: dist.kind != "sdist")


def _readable(paths: list[Path], check: bool, display: Display) -> list[DistFile]:
    """Every file read (and, unless check is off, checked); any error stops before uploading."""
    reports: list[Report] = check_files(paths, rebuild=False) if check else [read_dist(p) for p in paths]
    refused: list[str] = []
    for report in reports:
        errors = report.errors if check else [f for f in report.errors if report.dist is None]
        refused += [f"{report.path.name}: {_line(f)}" for f in errors]
        for warning in report.warnings if check else []:
            display.warning(f"{report.path.name}: {_line(warning)}")
    if refused:
        advice = " (see 'shipyard check'; --no-check uploads anyway)" if check else ""
        raise ShipyardError("nothing was uploaded: " + "; ".join(refused) + advice)
    return [r.dist for r in reports if r.dist is not None]


def _line(finding: Finding) -> str:
    where = f"{finding.path}: " if finding.path else ""
    return f"[{finding.code}] {where}{finding.message}"


def publish(paths: list[Path], repository: Repository, credentials: Credentials, display: Display, *,
            check: bool = True, skip_existing: bool = False, retries: int = 3,
            backoff: float = 1.0) -> list[Outcome]:
    """Upload `paths` in order; stops at the first failure (later files are 'not attempted')."""
    dists = upload_order(_readable(paths, check, display))
    uploader = Uploader(repository, credentials, retries=retries, backoff=backoff)
    outcomes: list[Outcome] = []
    try:
        for dist in dists:
            if outcomes and outcomes[-1].status == "failed":
                outcomes.append(Outcome(dist.path, "not attempted", "an earlier upload failed"))
                continue
            body = MultipartBody(form_fields(dist), dist.path)
            display.start(dist.path, body.length)
            try:
                answer = uploader.upload(body, display.advance, display.retry)
                outcome = Outcome(dist.path, "uploaded", answer.text.strip()[:200])
            except UploadFailed as exc:
                status: Status = "skipped" if exc.exists and skip_existing else "failed"
                outcome = Outcome(dist.path, status, exc.message)
            display.finish(outcome)
            outcomes.append(outcome)
    finally:
        uploader.close()
    return outcomes
