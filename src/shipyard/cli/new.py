"""`shipyard new NAME`: a new project with a package, README, LICENSE and pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import click

EPILOG = """\b
Examples:
  shipyard new hello                   ./hello/ with hello/__init__.py, README.md,
                                       LICENSE (MIT), pyproject.toml, tests/
  shipyard new hello --src             the package in src/hello/ instead
  shipyard new hello --script          plus a 'hello' command (hello/cli.py:main)
  shipyard new hello --license Apache-2.0 --description "Says hello."
  shipyard new hello --dry-run         list the files, write nothing

\b
License texts bundled: MIT, Apache-2.0, BSD-2-Clause, BSD-3-Clause, GPL-3.0-or-later,
LGPL-3.0-or-later, MPL-2.0, ISC, Unlicense. The author comes from 'git config
user.name' / 'user.email'. Then: cd hello && shipyard build.
"""


@click.command("new", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("name")
@click.option("--path", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to create (default: ./NAME).")
@click.option("--src", is_flag=True, help="Put the package in src/ (src layout).")
@click.option("--license", "license_id", default="MIT", show_default=True, metavar="SPDX",
              help="License of the project; its full text is written to LICENSE.")
@click.option("--script", is_flag=True, help="Add a console script named NAME.")
@click.option("--description", help="One-line summary of the project.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--dry-run", is_flag=True, help="Show the files that would be written; write nothing.")
def command(name: str, directory: Path | None, src: bool, license_id: str, script: bool, description: str | None,
            force: bool, dry_run: bool) -> int:
    """Create a new project called NAME."""
    from shipyard.scaffold.new import new

    plan = new(name, directory, force=force, dry_run=dry_run, src=src, license=license_id, script=script,
               description=description)
    for line in plan.describe():
        click.echo(f"{'would ' if dry_run else ''}{line}")
    if not dry_run:
        click.echo(f"created {plan.root}; next: cd {plan.root.name} && shipyard build")
    return 0
