"""How check results are shown: a table for people, JSON for machines."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from shipyard.check.run import Report


def summary(reports: list[Report], strict: bool) -> dict:
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    return {"files": len(reports), "errors": errors, "warnings": warnings, "strict": strict,
            "passed": all(r.passed(strict) for r in reports)}


def to_json(reports: list[Report], strict: bool) -> str:
    return json.dumps({**summary(reports, strict), "results": [r.as_dict() for r in reports]}, indent=2)


def print_table(reports: list[Report], strict: bool, console: Console) -> None:
    """One row per finding (one 'ok' row for a clean file), then a one-line verdict."""
    table = Table(show_lines=False, expand=False)
    table.add_column("file", overflow="fold")
    table.add_column("result")
    table.add_column("code")
    table.add_column("where", overflow="fold")
    table.add_column("message", overflow="fold")
    styles = {"error": "bold red", "warning": "yellow"}
    for report in reports:
        name = report.path.name
        if not report.findings:
            table.add_row(name, "[green]ok[/]", "", "", "")
        for finding in sorted(report.findings, key=lambda f: f.severity != "error"):
            table.add_row(name, f"[{styles[finding.severity]}]{finding.severity}[/]", finding.code,
                          finding.path or "", finding.message)
            name = ""
    console.print(table)
    total = summary(reports, strict)
    verdict = "[green]PASSED[/]" if total["passed"] else "[bold red]FAILED[/]"
    failing = " (warnings fail with --strict)" if strict and total["warnings"] else ""
    console.print(f"{verdict}: {total['files']} file(s), {total['errors']} error(s), "
                  f"{total['warnings']} warning(s){failing}")
