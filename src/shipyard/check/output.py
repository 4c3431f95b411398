"""How check results are shown: a table per file for people, JSON for machines."""

from __future__ import annotations

import json

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from shipyard.check.run import Report

_STYLES = {"error": "bold red", "warning": "yellow"}


def summary(reports: list[Report], strict: bool) -> dict:
    errors = sum(len(r.errors) for r in reports)
    warnings = sum(len(r.warnings) for r in reports)
    return {"files": len(reports), "errors": errors, "warnings": warnings, "strict": strict,
            "passed": all(r.passed(strict) for r in reports)}


def to_json(reports: list[Report], strict: bool) -> str:
    return json.dumps({**summary(reports, strict), "results": [r.as_dict() for r in reports]}, indent=2)


def print_table(reports: list[Report], strict: bool, console: Console) -> None:
    """A line per file ('ok' or its counts), its findings as a table, then a verdict."""
    for report in reports:
        if not report.findings:
            console.print(f"[green]ok[/]      {escape(str(report.path))}")
            continue
        mark = "[bold red]FAILED[/]" if report.errors else "[yellow]warn[/]  "
        console.print(f"{mark}  {escape(str(report.path))}")
        table = Table(box=box.SIMPLE, show_header=False, pad_edge=False, padding=(0, 1, 0, 2))
        table.add_column("severity", no_wrap=True)
        table.add_column("code", no_wrap=True)
        table.add_column("message", overflow="fold")
        for finding in sorted(report.findings, key=lambda f: f.severity != "error"):
            where = f"[dim]{escape(finding.path)}:[/] " if finding.path else ""
            table.add_row(f"[{_STYLES[finding.severity]}]{finding.severity}[/]", finding.code,
                          where + escape(finding.message))
        console.print(table)
    total = summary(reports, strict)
    verdict = "[green]PASSED[/]" if total["passed"] else "[bold red]FAILED[/]"
    rule = " (warnings fail with --strict)" if strict and total["warnings"] else ""
    console.print(f"{verdict}: {total['files']} file(s), {total['errors']} error(s), "
                  f"{total['warnings']} warning(s){rule}")
