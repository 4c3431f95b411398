"""The command line: a thin layer that parses, calls the library and reports.

`shipyard --help` and `shipyard --version` are answered without importing click or any
command module, so they stay fast; so is a plain `shipyard build` (see `build_run`). Each command lives in its own module
(`shipyard.cli.<name>`) exposing a click command called `command`; it is imported only
when that command runs.
"""

from __future__ import annotations

import sys

#: command name -> (module, one-line summary). Order is the order of the help text.
COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("shipyard.cli.new", "Create a new project (package, README, LICENSE, pyproject.toml)."),
    "init": ("shipyard.cli.init", "Organize a folder of loose modules into a package."),
    "migrate": ("shipyard.cli.migrate", "Turn a setup.py / setup.cfg project into pyproject.toml."),
    "build": ("shipyard.cli.build", "Build the sdist and the wheel of a project."),
    "check": ("shipyard.cli.check", "Find what an index would reject or a user would trip on."),
    "publish": ("shipyard.cli.publish", "Upload distributions to an index."),
    "serve": ("shipyard.cli.serve", "Run a package index (pip, uv and twine speak to it)."),
    "index": ("shipyard.cli.index", "Administer an index: users, tokens, projects."),
    "install": ("shipyard.cli.install", "Resolve and install packages into an environment."),
    "freeze": ("shipyard.cli.freeze", "Make a standalone executable from a script or project."),
}

HELP = """\
Usage: shipyard [OPTIONS] COMMAND [ARGS]...

  One tool for the whole life of a Python package.

Options:
  --version  Show the version and exit.
  --help     Show this message and exit.

Commands:
{commands}

Examples:
  shipyard new hello --script        a new project with a console script
  shipyard build                     sdist + wheel of the project here into dist/
  shipyard check dist/*              what PyPI would reject, before uploading
  shipyard serve                     a local index on http://127.0.0.1:8080/
  shipyard publish -r local          upload dist/* to that index
  shipyard freeze app.py --onefile   one executable that needs no Python

Run 'shipyard COMMAND --help' for a command's options and examples.
"""


def _help() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [f"  {name.ljust(width)}  {summary}" for name, (_, summary) in COMMANDS.items()]
    return HELP.format(commands="\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    """Run shipyard; returns the exit code (0 ok, 1 failed, 2 usage)."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("--help", "-h"):
        sys.stdout.write(_help())
        return 0
    if args[0] == "--version":
        from shipyard import __version__

        sys.stdout.write(f"shipyard {__version__}\n")
        return 0
    if args[0] == "build":
        from shipyard.cli.build_run import fast

        code = fast(args[1:])
        if code is not None:
            return code
    from shipyard.cli._app import run

    return run(args)
