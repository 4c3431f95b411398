"""The long description, rendered as PyPI renders it (readme_renderer)."""

from __future__ import annotations

import io
import re

from shipyard_core.distfile import DistFile, Finding

_RST_PROBLEM = re.compile(r"^<string>:(?P<line>\d+): \((?P<level>[A-Z]+)/\d\) (?P<text>.*)$")


def readme_findings(dist: DistFile) -> list[Finding]:
    """Findings about the description: missing, undeclared type, or not rendering on PyPI."""
    raw = dist.raw_metadata
    where = dist.metadata_path
    description = raw.get("description") or ""
    content_type = raw.get("description_content_type")
    if not description.strip():
        return [Finding("readme-missing", "warning", "no long description: the project page on the "
                        "index will be empty (set [project].readme)", where)]
    findings: list[Finding] = []
    if not content_type:
        findings.append(Finding("readme-content-type", "warning", "no Description-Content-Type: PyPI "
                                "renders the description as reStructuredText", where))
    kind = (content_type or "text/x-rst").split(";")[0].strip().lower()
    if kind == "text/x-rst":
        findings += _rst_findings(description, where)
    return findings


def _rst_findings(description: str, where: str) -> list[Finding]:
    """PyPI refuses an RST description that reports a warning or worse; say where and why."""
    from readme_renderer import rst

    stream = io.StringIO()
    if rst.render(description, stream=stream) is not None:
        return []
    problems = []
    for line in stream.getvalue().splitlines():
        match = _RST_PROBLEM.match(line)
        if match:
            problems.append(f"line {match['line']}: {match['text']}")
    detail = "; ".join(problems) or stream.getvalue().strip() or "no reason given"
    return [Finding("readme-render", "error", f"the description does not render as reStructuredText "
                    f"on PyPI ({detail})", where)]
