"""`shipyard build`: the sdist and the wheel of a project."""

from __future__ import annotations

from pathlib import Path

import click

EPILOG = """\b
Examples:
  shipyard build                       sdist, then the wheel built from it, into ./dist
  shipyard build path/to/project -o out
  shipyard build --wheel               only the wheel, straight from the source tree
  shipyard build --json                what was built, for scripts

\b
Projects whose backend is shipyard-core (or that have no [build-system], like a
distutils setup.py) build in-process. Any other backend (setuptools, hatchling,
flit_core, poetry-core, pdm-backend, ...) builds through its own PEP 517 hooks in an
isolated environment, cached by its requirements under the cache folder shown by
'shipyard build --cache-dir' (delete that folder to clear it).
"""


def _show_cache_dir(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        from shipyard.buildenv import cache_dir

        click.echo(cache_dir() / "build-envs")
        ctx.exit(0)


@click.command("build", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("directory", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--sdist", "want_sdist", is_flag=True, help="Build the sdist (alone, unless --wheel too).")
@click.option("--wheel", "want_wheel", is_flag=True, help="Build the wheel (alone: from the source tree).")
@click.option("-o", "--outdir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the files (default: DIRECTORY/dist).")
@click.option("--index-url", metavar="URL", help="Index for build requirements of other backends.")
@click.option("--json", "as_json", is_flag=True, help="Print what was built as JSON.")
@click.option("--cache-dir", is_flag=True, expose_value=False, is_eager=True, callback=_show_cache_dir,
              help="Print where isolated build environments are cached, and exit.")
def command(directory: Path, want_sdist: bool, want_wheel: bool, outdir: Path | None, index_url: str | None,
            as_json: bool) -> None:
    """Build the sdist and the wheel of the project in DIRECTORY."""
    from shipyard.cli.build_run import run

    run(directory, outdir, want_sdist or not want_wheel, want_wheel or not want_sdist, as_json, index_url)
