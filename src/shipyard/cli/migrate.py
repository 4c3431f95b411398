"""`shipyard migrate`: a setup.py / setup.cfg project -> pyproject.toml, proven equivalent."""

from __future__ import annotations

from pathlib import Path

import click

EPILOG = """\b
Examples:
  shipyard migrate                     write pyproject.toml for the project here
  shipyard migrate path/to/project --dry-run
                                       print the pyproject.toml, write nothing
  shipyard migrate --remove-setup-py   also delete setup.py (and setup.cfg's
                                       [metadata]/[options] sections)

\b
Before writing, shipyard builds the wheel from the legacy files and from the new
pyproject.toml and compares the files and the metadata. Any difference is printed,
nothing is written, and the exit status is 1. Values the legacy world allowed but the
standards do not (versions like '0.1dev', license names) are normalized; each change is
shown as a note. Projects with C extensions or custom commands cannot be migrated;
'shipyard build' builds them with setuptools.
"""


@click.command("migrate", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("directory", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the pyproject.toml instead of writing it.")
@click.option("--remove-setup-py", is_flag=True, help="Delete setup.py (and setup.cfg's packaging sections) after writing.")
def command(directory: Path, dry_run: bool, remove_setup_py: bool) -> int:
    """Turn the setup.py / setup.cfg project in DIRECTORY into a pyproject.toml."""
    from shipyard.migrate import migrate

    result = migrate(directory, dry_run=dry_run, remove_setup_py=remove_setup_py)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if dry_run:
        click.echo(result.text, nl=False)
    if result.differences:
        click.echo("error: the migrated project builds a different wheel; pyproject.toml was not written:", err=True)
        for difference in result.differences:
            click.echo(f"  {difference}", err=True)
        return 1
    if dry_run:
        click.echo("the migrated project builds the same wheel (dry run: nothing written)", err=True)
        return 0
    click.echo(f"wrote {result.root / 'pyproject.toml'}: same wheel files and metadata as before")
    for removed in result.removed:
        click.echo(f"removed {removed}")
    return 0
