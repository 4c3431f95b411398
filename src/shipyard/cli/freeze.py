"""`shipyard freeze`: a standalone executable from a script, a module or a project."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

EPILOG = """\b
Examples:
  shipyard freeze app.py                      one folder: dist/app/app
  shipyard freeze app.py --onefile            one file:   dist/app
  shipyard freeze -m http.server --name web   a module, like python -m
  shipyard freeze . --entry mytool            a project's console script
  shipyard freeze app.py --add-data assets:assets --onefile -o out
  shipyard freeze app.py --exclude-module tkinter --optimize 2 --json

\b
A script's PEP 723 '# /// script' dependencies are installed from the index into
a cached staging environment; otherwise distributions come from the environment
shipyard runs in. Data added with --add-data SRC:DEST lands in the app folder
beside the script (Path(__file__).parent / DEST). See docs/freeze.md.
"""


def _split_data(values: tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        src, sep, dest = value.rpartition(":")
        if not sep or not src:
            raise click.BadParameter(f"expected SRC:DEST, got {value!r}", param_hint="--add-data")
        pairs.append((src, dest))
    return pairs


@click.command(name="freeze", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("target", required=False)
@click.option("-m", "--module", "module", metavar="MODULE", help="Freeze a module, like `python -m MODULE`.")
@click.option("--onefile", "mode", flag_value="onefile", help="One executable file (unpacks once into a cache).")
@click.option("--onedir", "mode", flag_value="onedir", default=True, help="One folder with the executable (default).")
@click.option("-o", "--outdir", type=click.Path(path_type=Path), default=Path("dist"), show_default=True,
              help="Where the app is written.")
@click.option("--name", help="Name of the executable (default: from the script, module or entry).")
@click.option("--entry", help="For a project folder: which console script (default: the only one).")
@click.option("--add-data", multiple=True, metavar="SRC:DEST", help="Ship a file or folder in the app folder.")
@click.option("--include-module", multiple=True, metavar="NAME", help="Bundle this module even if not traced.")
@click.option("--exclude-module", multiple=True, metavar="NAME", help="Leave this module out.")
@click.option("-O", "--optimize", type=click.IntRange(0, 2), default=0, show_default=True,
              help="Bytecode optimization level (like python -O / -OO).")
@click.option("--json", "as_json", is_flag=True, help="Print what was made as JSON.")
def command(target: str | None, module: str | None, mode: str, outdir: Path, name: str | None,
            entry: str | None, add_data: tuple[str, ...], include_module: tuple[str, ...],
            exclude_module: tuple[str, ...], optimize: int, as_json: bool) -> int:
    """Make a standalone executable that runs where no Python is installed.

    TARGET is a script (app.py), or a project folder; use -m for a module.
    """
    from shipyard.freeze import FreezeOptions, freeze
    from shipyard.freeze.freezer import result_dict

    if (target is None) == (module is None):
        raise click.UsageError("give a TARGET (script or project folder) or -m MODULE, not both")
    opts = FreezeOptions(
        target=module or target, module=module is not None, onefile=mode == "onefile", outdir=outdir,
        name=name, entry=entry, add_data=_split_data(add_data), include_modules=list(include_module),
        exclude_modules=list(exclude_module), optimize=optimize)
    if as_json or not sys.stderr.isatty():
        result = freeze(opts, progress=(lambda _: None) if as_json else (lambda m: click.echo(m, err=True)))
    else:
        from rich.console import Console

        console = Console(stderr=True)
        with console.status("Freezing") as status:
            result = freeze(opts, progress=lambda m: status.update(m))
    if as_json:
        click.echo(json.dumps(result_dict(result), indent=2))
    else:
        size = result.size / 1e6
        click.echo(f"made {result.path} ({result.mode}, {size:.1f} MB, {result.files} files, "
                   f"{len(result.distributions)} distributions, {result.seconds:.1f} s)")
    return 0
