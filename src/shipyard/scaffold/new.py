"""`shipyard new NAME`: a new project in the seed's layout, modernized."""

from __future__ import annotations

import datetime
from pathlib import Path

from shipyard_core.errors import ShipyardError

from shipyard.scaffold import license_texts
from shipyard.scaffold.common import (GITIGNORE, Author, Plan, check_name, git_author, in_git_checkout, pyproject,
                                     readme)

INIT = '''"""{description}"""

__all__ = ["hello"]


def hello(name: str = "world") -> str:
    """Return a greeting for `name`."""
    return f"Hello, {{name}}!"
'''
CLI = '''"""The `{script}` command."""

from __future__ import annotations

import sys

from {package} import hello


def main(argv: list[str] | None = None) -> int:
    """Print a greeting for each name given (or for the world)."""
    names = sys.argv[1:] if argv is None else argv
    for name in names or ["world"]:
        print(hello(name))
    return 0
'''
MAIN = '''from {package}.cli import main

raise SystemExit(main())
'''
TEST = '''from {package} import hello


def test_hello():
    assert hello("you") == "Hello, you!"
'''


def plan_new(name: str, directory: Path, *, src: bool = False, license: str = "MIT", script: bool = False,
             description: str | None = None, author: Author | None = None) -> Plan:
    """The files of a new project called `name` in `directory`."""
    package = check_name(name)
    try:
        spdx = license_texts.canonical(license)
    except ValueError as exc:
        raise ShipyardError(str(exc)) from None
    existing = next(p for p in (directory, *directory.parents) if p.is_dir())
    author = author or git_author(existing)
    description = description or f"{name}: a Python package."
    base = f"src/{package}" if src else package
    scripts = {name: f"{package}.cli:main"} if script else None
    licenses = license_texts.license_files(spdx, year=datetime.date.today().year, holder=author.holder)
    plan = Plan(directory, in_git=in_git_checkout(existing))  # new files are git-added, so builds see them
    plan.writes["pyproject.toml"] = pyproject(name, description=description, readme="README.md",
                                              license_expression=spdx, license_files=sorted(licenses),
                                              author=author, scripts=scripts)
    plan.writes["README.md"] = readme(name, package, description, [], script=name if script else None)
    plan.writes.update(licenses)
    plan.writes[f"{base}/__init__.py"] = INIT.format(description=description)
    if script:
        plan.writes[f"{base}/cli.py"] = CLI.format(script=name, package=package)
        plan.writes[f"{base}/__main__.py"] = MAIN.format(package=package)
    plan.writes[f"tests/test_{package}.py"] = TEST.format(package=package)
    plan.writes[".gitignore"] = GITIGNORE
    return plan


def new(name: str, directory: Path | None = None, *, force: bool = False, dry_run: bool = False, **options) -> Plan:
    """Create the project (in `directory`, default ./NAME); refuses a non-empty folder without `force`."""
    directory = (directory or Path.cwd() / name).resolve()
    if directory.exists() and not directory.is_dir():
        raise ShipyardError("exists and is not a folder", file=directory)
    plan = plan_new(name, directory, **options)
    if not dry_run:
        plan.apply(force=force)
    return plan
