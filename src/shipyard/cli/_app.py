"""The click application behind `shipyard COMMAND ...` (imported only for a command)."""

from __future__ import annotations

import importlib
import sys

import click

from shipyard.cli import COMMANDS, _help


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when they are invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[name][0])
        return module.command

    def get_help(self, ctx: click.Context) -> str:
        return _help().rstrip("\n")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shipyard", prog_name="shipyard")
def app() -> None:
    """One tool for the whole life of a Python package."""


def run(args: list[str]) -> int:
    """Run a command; errors the library raises become one clear line and exit code 1."""
    from shipyard_core.errors import ShipyardError

    try:
        result = app.main(args=args, prog_name="shipyard", standalone_mode=False)
    except ShipyardError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(sys.argv[1:]))
