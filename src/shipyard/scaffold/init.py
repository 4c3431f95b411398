"""`shipyard init [DIR]`: a folder of loose modules becomes a package (the seed's first step).

The modules move into a package folder (with `git mv` in a git checkout), imports between
them are rewritten to the package, and README.md, LICENSE and pyproject.toml are written
where they are missing. Nothing is overwritten without `force`.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from shipyard_core.errors import ShipyardError
from shipyard_core.files import NOT_MODULES
from shipyard_core.project import read_pyproject

from shipyard.scaffold import license_texts
from shipyard.scaffold.common import Author, Plan, check_name, git_author, git_tracked, in_git_checkout, pyproject, readme
from shipyard.scaffold.imports import rewrite_imports

README_GLOBS = ("README", "README.*", "readme.*", "Readme.*")
LICENSE_GLOBS = ("LICENSE", "LICENSE.*", "LICENCE", "LICENCE.*", "COPYING", "COPYING.*")


def _is_test(name: str) -> bool:
    return name.startswith("test_") or name.endswith("_test.py") or name == "tests.py"


def _existing(root: Path, globs: tuple[str, ...]) -> list[str]:
    return sorted({p.name for g in globs for p in root.glob(g) if p.is_file()})


def plan_init(root: Path, *, name: str | None = None, license: str | None = None, description: str | None = None,
              author: Author | None = None) -> Plan:
    """What `init` would do in `root`."""
    root = root.resolve()
    if not root.is_dir():
        raise ShipyardError("is not a folder", file=root)
    if (root / "setup.py").is_file() or (root / "setup.cfg").is_file():
        raise ShipyardError("has a setup.py / setup.cfg: this is a legacy project; run 'shipyard migrate' instead",
                            file=root)
    if (root / "pyproject.toml").is_file() and "project" in read_pyproject(root / "pyproject.toml"):
        raise ShipyardError("already has a [project] table: this folder is a project already",
                            file=root / "pyproject.toml")
    name = name or root.name
    package = check_name(name)
    author = author or git_author(root)
    description = description or f"{name}: a Python package."
    modules = sorted(p.name for p in root.glob("*.py")
                     if p.is_file() and p.stem.isidentifier() and p.name not in NOT_MODULES and p.name != "__init__.py"
                     and not _is_test(p.name))
    plan = Plan(root, in_git=in_git_checkout(root))
    if plan.in_git:
        plan.git_moves = {m for m in modules if git_tracked(root, m)}
    package_dir = root / package
    if package_dir.exists() and not package_dir.is_dir():
        raise ShipyardError(f"{package!r} is a file: the package folder needs that name; use --name", file=root)
    plan.moves = [(m, f"{package}/{m}") for m in modules]
    if not (package_dir / "__init__.py").exists():
        plan.writes[f"{package}/__init__.py"] = f'"""{description}"""\n'
    moved = {m[:-3] for m in modules}
    _plan_rewrites(plan, root, package, moved)

    licenses, spdx = _license(root, plan, license, author)
    readmes = _existing(root, README_GLOBS)
    if readmes:
        plan.kept.append(readmes[0])
        readme_file = readmes[0]
    else:
        readme_file = "README.md"
        plan.writes[readme_file] = readme(name, package, description, [m[:-3] for m in modules])
    if readme_file.rsplit(".", 1)[-1].lower() not in ("md", "rst", "txt", "markdown"):
        readme_file = None  # a README without a known suffix cannot be the long description
    plan.writes["pyproject.toml"] = pyproject(name, description=description, readme=readme_file,
                                              license_expression=spdx, license_files=licenses, author=author)
    return plan


def _plan_rewrites(plan: Plan, root: Path, package: str, moved: set[str]) -> None:
    """Imports of the moved modules, in them and in the tests and scripts that stay."""
    candidates = [p.name for p in root.glob("*.py") if p.is_file()]
    candidates += [p.relative_to(root).as_posix() for p in (root / "tests").rglob("*.py")] \
        if (root / "tests").is_dir() else []
    for relative in sorted(candidates):
        text = (root / relative).read_text(encoding="utf-8", errors="surrogateescape")
        new = rewrite_imports(text, package, moved)
        if new is None:
            continue
        target = f"{package}/{relative}" if relative[:-3] in moved and "/" not in relative else relative
        plan.rewrites[target] = new


def _license(root: Path, plan: Plan, license: str | None, author: Author) -> tuple[list[str], str | None]:
    """(license files, SPDX expression): the existing files kept, else the chosen text written."""
    existing = _existing(root, LICENSE_GLOBS)
    if existing:
        plan.kept.extend(existing)
        spdx = license_texts.canonical(license) if license else \
            license_texts.recognize((root / existing[0]).read_text(encoding="utf-8", errors="replace"))
        return existing, spdx
    try:
        spdx = license_texts.canonical(license or "MIT")
    except ValueError as exc:
        raise ShipyardError(str(exc)) from None
    texts = license_texts.license_files(spdx, year=datetime.date.today().year, holder=author.holder)
    plan.writes.update(texts)
    return sorted(texts), spdx


def init(root: Path, *, force: bool = False, dry_run: bool = False, **options) -> Plan:
    plan = plan_init(root, **options)
    if not dry_run:
        plan.apply(force=force)
    return plan
