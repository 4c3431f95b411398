"""`shipyard install`: resolve and install packages into an environment from indexes."""

from __future__ import annotations

import json
from pathlib import Path

import click

EPILOG = """\b
Examples:
  shipyard install rich                         into the active virtual environment
  shipyard install 'httpx[http2]>=0.27' -r requirements.txt --python .venv
  shipyard install flask --index-url http://127.0.0.1:8080/simple/
  shipyard install .                            the project here (built into a wheel first)
  shipyard install dist/demo-1.0-py3-none-any.whl 'tool @ https://example.org/tool-2.0.tar.gz'
  shipyard install rich --dry-run --json        what would be installed, for scripts
  shipyard install -r requirements.txt --lock pylock.toml --dry-run   lock only
  shipyard install --from-lock pylock.toml      exactly the locked files, no resolving

\b
The target is --python (an interpreter or an environment folder), else the active
virtual environment ($VIRTUAL_ENV); shipyard never installs into a system Python
unasked. --target DIR installs into a plain folder (for the running interpreter, or
--python's). Indexes: --index-url (default PyPI, or $SHIPYARD_INDEX_URL), then each
--extra-index-url; the first index that has a project provides all of its files.
Downloads are verified against the index's sha256 and cached under
'shipyard build --cache-dir'/../install.
"""


@click.command("install", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("requirements", nargs=-1, metavar="[REQ|PATH]...")
@click.option("-r", "--requirement", "files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Install the requirements in this file (repeatable).")
@click.option("-c", "--constraint", "constraint_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Limit versions to the constraints in this file (repeatable); adds no packages.")
@click.option("-i", "--index-url", metavar="URL", envvar="SHIPYARD_INDEX_URL",
              help="The main index (PEP 503/691 simple API). Default: PyPI.")
@click.option("--extra-index-url", "extra_index_urls", metavar="URL", multiple=True,
              help="Another index, asked after the main one (repeatable).")
@click.option("-p", "--python", metavar="PATH", help="Interpreter or environment to install into.")
@click.option("-t", "--target", "target_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Install into this folder instead of an environment.")
@click.option("--no-deps", is_flag=True, help="Install the named packages only, not their dependencies.")
@click.option("-U", "--upgrade", is_flag=True, help="Upgrade the named packages to the newest allowed version.")
@click.option("--reinstall", is_flag=True, help="Reinstall every chosen package, even at an installed version.")
@click.option("--compile", "compile_bytecode", is_flag=True,
              help="Compile modules to bytecode with the target interpreter (pip does by default).")
@click.option("--pre", is_flag=True, help="Consider pre-releases and development versions too.")
@click.option("--dry-run", is_flag=True, help="Resolve and report; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON on stdout.")
@click.option("--lock", "lock_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the resolution to this PEP 751 pylock.toml.")
@click.option("--from-lock", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Install exactly the files of this pylock.toml (no resolving).")
@click.option("--break-system-packages", is_flag=True,
              help="Allow installing into a Python its operating system manages (PEP 668).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def command(requirements: tuple[str, ...], files: tuple[Path, ...], constraint_files: tuple[Path, ...],
            index_url: str | None, extra_index_urls: tuple[str, ...], python: str | None, target_dir: Path | None,
            no_deps: bool, upgrade: bool, reinstall: bool, compile_bytecode: bool, pre: bool, dry_run: bool,
            as_json: bool, lock_file: Path | None, from_lock: Path | None, break_system_packages: bool,
            quiet: bool) -> None:
    """Resolve REQ... (PEP 508 requirements, `name @ URL`, or paths to wheels, sdists and project
    folders) and install them with their dependencies."""
    from shipyard.install import install
    from shipyard.install.progress import for_terminal
    from shipyard.install.requirements import Inputs, read_file

    inputs = Inputs()
    for path in files:
        read_file(path, inputs)
    for path in constraint_files:
        read_file(path, inputs, constraints=True)
    for text in requirements:
        inputs.add(text)
    if from_lock and (inputs.requirements or lock_file):
        raise click.UsageError("--from-lock installs a lock as it is: give no requirements and no --lock")
    if not from_lock and not inputs.requirements:
        raise click.UsageError("nothing to install: give requirements, -r FILE or --from-lock FILE")
    indexes = [index_url or inputs.index_url or "https://pypi.org/simple/", *inputs.extra_index_urls,
               *extra_index_urls]
    silent = quiet or as_json
    log = (lambda message: None) if silent else (lambda message: click.echo(message, err=True))
    report = install(inputs.requirements, direct=inputs.direct, constraints=inputs.constraints,
                     index_urls=indexes, python=python, target_dir=target_dir, no_deps=no_deps, upgrade=upgrade,
                     reinstall=reinstall, bytecode=compile_bytecode, pre=pre, dry_run=dry_run, lock_file=lock_file,
                     from_lock=from_lock, break_system_packages=break_system_packages,
                     progress=for_terminal(silent), log=log)
    if as_json:
        click.echo(json.dumps(_as_dict(report), indent=2))
        return
    if report.lock and not quiet:
        click.echo(f"Wrote {report.lock}", err=True)
    if quiet:
        return
    satisfied = f"{len(report.unchanged)} already satisfied" if report.unchanged else ""
    if not report.actions:
        click.echo(f"Nothing to install{': ' + satisfied if satisfied else ''}", err=True)
        return
    verb = "Would install" if report.dry_run else "Installed"
    seconds = report.timings.get("install")
    timing = f" in {seconds:.2f} s" if seconds is not None else ""
    click.echo(f"{verb} {len(report.actions)} package(s){timing}" + (f", {satisfied}" if satisfied else ""),
               err=True)
    for action in report.actions:
        if action.replaces is not None:
            click.echo(f" - {action.name}=={action.replaces.version}")
        click.echo(f" + {action.name}=={action.version}")


def _as_dict(report) -> dict:
    return {
        "python": str(report.target.python),
        "python_version": report.target.python_version,
        "site_packages": report.target.scheme["purelib"],
        "dry_run": report.dry_run,
        "install": [{"name": a.name, "version": str(a.version), "file": a.file.filename, "url": a.file.url,
                     "index": a.file.index, "replaces": str(a.replaces.version) if a.replaces else None,
                     "requested": a.requested} for a in report.actions],
        "unchanged": [{"name": name, "version": str(version)} for name, version in report.unchanged],
        "lock": str(report.lock) if report.lock else None,
        "timings": {k: round(v, 4) for k, v in report.timings.items()},
    }
