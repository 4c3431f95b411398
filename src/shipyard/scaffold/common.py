"""What `new` and `init` share: names, the author, pyproject.toml and README text, and
applying a plan of file writes without overwriting anything unless told to."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from shipyard_core import __version__ as core_version
from shipyard_core.errors import ShipyardError
from shipyard_core.project import NAME_RE

from shipyard.scaffold.fs import atomic_write
from shipyard.scaffold.toml import dumps


@dataclass(frozen=True)
class Author:
    name: str | None
    email: str | None

    def table(self) -> list[dict[str, str]]:
        entry = {k: v for k, v in (("name", self.name), ("email", self.email)) if v}
        return [entry] if entry else []

    @property
    def holder(self) -> str:
        return self.name or self.email or "the authors"


def git_author(cwd: Path) -> Author:
    """user.name and user.email from git config (none when git or the settings are missing)."""

    def get(key: str) -> str | None:
        try:
            out = subprocess.run(["git", "config", "--get", key], cwd=cwd, capture_output=True, text=True,
                                 timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        value = out.stdout.strip()
        return value if out.returncode == 0 and value else None

    name, email = get("user.name"), get("user.email")
    if name and "," in name:
        name = name.replace(",", "")
    if email and "@" not in email:
        email = None
    return Author(name, email)


def check_name(name: str) -> str:
    """The import name for a project name, or an error saying what a valid name is."""
    if not NAME_RE.match(name):
        raise ShipyardError(f"{name!r} is not a valid project name: expected letters, digits, '.', '_', '-', "
                            "starting and ending with a letter or digit")
    import_name = canonicalize_name(name).replace("-", "_").replace(".", "_")
    if not import_name.isidentifier() or import_name[0].isdigit():
        raise ShipyardError(f"{name!r} gives the import name {import_name!r}, which Python cannot import: "
                            "start the name with a letter")
    return import_name


def pyproject(name: str, *, description: str, readme: str | None, license_expression: str | None,
              license_files: list[str], author: Author, scripts: dict[str, str] | None = None,
              tool: dict[str, Any] | None = None) -> str:
    """A new project's pyproject.toml (shipyard-core as the build backend)."""
    project: dict[str, Any] = {"name": name, "version": "0.1.0", "description": description}
    if readme:
        project["readme"] = readme
    project["requires-python"] = f">={sys.version_info.major}.{sys.version_info.minor}"
    if license_expression:
        project["license"] = license_expression
    if license_files:
        project["license-files"] = license_files
    if authors := author.table():
        project["authors"] = authors
    project["classifiers"] = ["Programming Language :: Python :: 3"]
    project["dependencies"] = []
    if scripts:
        project["scripts"] = scripts
    document: dict[str, Any] = {
        "build-system": {"requires": [f"shipyard-core>={core_version}"], "build-backend": "shipyard_core.backend"},
        "project": project,
    }
    if tool:
        document["tool.shipyard"] = tool
    return dumps(document)


def readme(name: str, import_name: str, description: str, modules: list[str], script: str | None = None) -> str:
    """A README.md that says what the project is and how to install and use it."""
    lines = [f"# {name}", "", description, "", "## Install", "", "```", f"pip install {name}", "```", "", "## Use",
             "", "```python"]
    lines += [f"from {import_name} import {m}" for m in modules] or [f"import {import_name}"]
    lines += ["```", ""]
    if script:
        lines += ["From the command line:", "", "```", script, "```", ""]
    lines += ["## Build", "", "```", "shipyard build      # dist/*.tar.gz and dist/*.whl", "```", ""]
    return "\n".join(lines)


@dataclass
class Plan:
    """Files to write (path relative to the project -> text) and files to move."""

    root: Path
    writes: dict[str, str] = field(default_factory=dict)
    moves: list[tuple[str, str]] = field(default_factory=list)  #: (from, to), project-relative
    git_moves: set[str] = field(default_factory=set)  #: sources git tracks: moved with `git mv`
    rewrites: dict[str, str] = field(default_factory=dict)  #: moved/kept file -> new text (imports)
    kept: list[str] = field(default_factory=list)  #: existing files used as they are
    in_git: bool = False  #: the folder is a git checkout: new files are `git add`ed

    def conflicts(self) -> list[str]:
        return sorted(p for p in self.writes if (self.root / p).exists()) + \
            sorted(dst for _, dst in self.moves if (self.root / dst).exists())

    def describe(self) -> list[str]:
        lines = [f"move   {src} -> {dst}{' (git mv)' if src in self.git_moves else ''}" for src, dst in self.moves]
        lines += [f"edit   {path} (imports of the moved modules)" for path in sorted(self.rewrites)]
        lines += [f"write  {path}" for path in self.writes]
        lines += [f"keep   {path}" for path in self.kept]
        return lines

    def apply(self, *, force: bool = False) -> None:
        """Check every target first, then move, rewrite and write (each write atomic)."""
        conflicts = self.conflicts()
        if conflicts and not force:
            raise ShipyardError(f"would overwrite {', '.join(conflicts)}: nothing was written; "
                                "use --force to overwrite", file=self.root)
        for src, dst in self.moves:
            target = self.root / dst
            target.parent.mkdir(parents=True, exist_ok=True)
            if src in self.git_moves:
                subprocess.run(["git", "mv", *(["-f"] if force else []), src, dst], cwd=self.root,
                               check=True, capture_output=True)
            else:
                (self.root / src).replace(target)
        for path, text in self.rewrites.items():
            atomic_write(self.root / path, text)
        for path, text in self.writes.items():
            atomic_write(self.root / path, text)
        if self.in_git and self.writes:
            subprocess.run(["git", "add", "--", *self.writes], cwd=self.root, check=True, capture_output=True)


def in_git_checkout(path: Path) -> bool:
    try:
        out = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=path, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and out.stdout.strip() == "true"


def git_tracked(root: Path, path: str) -> bool:
    out = subprocess.run(["git", "ls-files", "--error-unmatch", path], cwd=root, capture_output=True)
    return out.returncode == 0


GITIGNORE = "\n".join(["__pycache__/", "*.py[cod]", "/dist/", "/build/", "*.egg-info/", ".venv/", ""])
