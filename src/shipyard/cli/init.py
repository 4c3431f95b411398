"""`shipyard init [DIR]`: organize a folder of loose modules into a package."""

from __future__ import annotations

from pathlib import Path

import click

EPILOG = """\b
Examples:
  shipyard init                        the modules here move into ./<folder name>/
  shipyard init path/to/code --name sololearn
  shipyard init --dry-run              show the moves, edits and files; do nothing
  shipyard init --license BSD-3-Clause

\b
Each loose module (test_*.py, setup.py, conftest.py stay) moves into the package folder
(with 'git mv' when the folder is a git checkout), imports between the moved modules
become absolute imports of the package ('import util' -> 'from pkg import util'), and
README.md, LICENSE and pyproject.toml are written where missing. An existing README or
LICENSE is kept; no file is overwritten unless --force. Then: shipyard build.
"""


@click.command("init", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("directory", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--name", help="Project name (default: the folder's name); the package is named after it.")
@click.option("--license", "license_id", metavar="SPDX",
              help="License to write when there is no LICENSE file (default MIT).")
@click.option("--description", help="One-line summary of the project.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--dry-run", is_flag=True, help="Show the plan; change nothing.")
def command(directory: Path, name: str | None, license_id: str | None, description: str | None, force: bool,
            dry_run: bool) -> int:
    """Turn the loose modules in DIRECTORY into a package with its metadata."""
    from shipyard.scaffold.init import init

    plan = init(directory, force=force, dry_run=dry_run, name=name, license=license_id, description=description)
    for line in plan.describe():
        click.echo(f"{'would ' if dry_run else ''}{line}")
    if not dry_run:
        click.echo(f"initialized {plan.root}; next: shipyard build {directory}")
    return 0
