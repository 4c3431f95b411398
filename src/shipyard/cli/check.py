"""`shipyard check`: what an index would reject or a user would trip on, before upload."""

from __future__ import annotations

from pathlib import Path

import click

EPILOG = """\b
Examples:
  shipyard check                       every distribution in ./dist
  shipyard check dist/*.whl            only the wheels
  shipyard check dist --strict         warnings fail too (for CI)
  shipyard check dist/*.tar.gz --no-rebuild
  shipyard check --json dist           findings as JSON, for scripts

\b
Each file is read without extracting it: metadata (Core Metadata 2.x), name and version
against the file name, classifiers (trove-classifiers), license expression and license
files, the long description rendered as PyPI renders it (readme_renderer), and the
archive itself (wheel RECORD hashes and sizes, bytecode, compiled files in a pure wheel,
top-level names like 'tests' that clash, unsafe paths; sdist PKG-INFO, pyproject.toml,
one top folder). An sdist is also built into a wheel with its own backend and compared
with PKG-INFO and with a wheel of the same name given alongside (--no-rebuild skips it).

\b
Exit status: 0 when no file has an error (and, with --strict, no warning); 1 otherwise.
"""


@click.command("check", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("dists", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--no-rebuild", is_flag=True, help="Do not build the wheel from each sdist to compare.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def command(dists: tuple[Path, ...], strict: bool, no_rebuild: bool, as_json: bool) -> int:
    """Check distribution files (default: dist/*) before uploading them."""
    from rich.console import Console

    from shipyard.check import check_files, find_dists
    from shipyard.check.output import print_table, summary, to_json

    reports = check_files(find_dists(list(dists)), rebuild=not no_rebuild)
    if as_json:
        click.echo(to_json(reports, strict))
    else:
        print_table(reports, strict, Console())
    return 0 if summary(reports, strict)["passed"] else 1
