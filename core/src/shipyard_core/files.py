"""What goes in: package discovery, the sdist's file set and the wheel's file plan.

The sdist's file set is the single source of truth: the wheel is planned from it, whether
it is built from the source tree or from the unpacked sdist, so both ways give the same
wheel, and a package file the sdist would lack is an error instead of a silently smaller
wheel.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Iterable

from shipyard_core.errors import BuildError

if TYPE_CHECKING:
    from shipyard_core.project import Project

#: never in an sdist: version control, environments, caches, build output
ALWAYS_SKIPPED_DIRS = {
    ".git", ".hg", ".svn", ".bzr", "_darcs", "CVS", "__pycache__", ".tox", ".nox", ".pytest_cache",
    ".mypy_cache", ".ruff_cache", ".hypothesis", ".eggs", ".idea", ".vscode", "node_modules",
}
ROOT_SKIPPED_DIRS = {"dist", "build"}
SKIPPED_FILES = ["*.pyc", "*.pyo", "*.so.tmp", ".DS_Store", "*.swp", "*~"]
#: secrets-looking files: left out unless [tool.shipyard.sdist] include names them
SECRET_FILES = [".env", ".env.*", "*.pem", "*.key", ".pypirc", ".netrc", "id_rsa*", "id_ed25519*", "id_ecdsa*",
                "*.p12", "*.pfx", ".npmrc", "credentials.json", ".git-credentials", ".htpasswd", "*.jks", "*.keystore",
                ".dockercfg"]
NOT_PACKAGES = {"tests", "test", "docs", "doc", "examples", "example", "benchmarks", "scripts", "build", "dist",
                "venv", "env", "site-packages", "node_modules"}
NOT_MODULES = {"setup.py", "conftest.py", "noxfile.py", "fabfile.py", "tasks.py", "manage.py"}


# --- gitignore-style patterns ---------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One gitignore-style pattern, relative to `base` (a project-relative folder).

    Its regex matches a path when the pattern matches the path itself or any folder above
    it; a folder is tested as its path with a trailing slash.
    """

    regex: str
    negate: bool

    @classmethod
    def compile(cls, pattern: str, base: str = "") -> Pattern:
        negate = pattern.startswith("!")
        if negate or pattern.startswith("\\"):
            pattern = pattern[1:]
        dir_only = pattern.endswith("/")
        pattern = pattern.rstrip("/")
        anchored = "/" in pattern
        body = _translate(pattern.lstrip("/"))
        prefix = (re.escape(base) + "/" if base else "") + ("" if anchored else "(?:.*/)?")
        return cls(prefix + body + ("/.*" if dir_only else "(?:/.*)?"), negate)


def _translate(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (end := pattern.find("]", i + 2)) != -1:
            content = pattern[i + 1:end]
            if content[0] in "!^":
                content = "^" + content[1:]
            out.append("[" + content.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


class PatternSet:
    """Patterns where the last match wins (gitignore semantics). Without negations, one
    combined regex answers for all of them."""

    def __init__(self, patterns: Iterable[Pattern] = ()):
        self.patterns = list(patterns)
        self._compiled: list[tuple[re.Pattern[str], bool]] | None = None

    @classmethod
    def of(cls, globs: Iterable[str], base: str = "") -> PatternSet:
        return cls(Pattern.compile(g, base) for g in globs if g.strip() and not g.startswith("#"))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def add_gitignore(self, file: Path, base: str) -> None:
        for line in file.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.rstrip()
            if line and not line.startswith("#"):
                self.patterns.append(Pattern.compile(line, base))
        self._compiled = None

    def _groups(self) -> list[tuple[re.Pattern[str], bool]]:
        """Runs of patterns with the same sign, each run one regex."""
        if self._compiled is None:
            groups: list[tuple[list[str], bool]] = []
            for pattern in self.patterns:
                if groups and groups[-1][1] == pattern.negate:
                    groups[-1][0].append(pattern.regex)
                else:
                    groups.append(([pattern.regex], pattern.negate))
            self._compiled = [(re.compile("(?:" + "|".join(f"(?:{r})" for r in regexes) + r")\Z"), negate)
                              for regexes, negate in groups]
        return self._compiled

    def match(self, path: str, is_dir: bool = False) -> bool:
        """True when the path, or any folder above it, is matched."""
        subject = path + "/" if is_dir else path
        for regex, negate in reversed(self._groups()):
            if regex.match(subject):
                return not negate
        return False


# --- discovery -------------------------------------------------------------------------------


def discover(project: Project, source: str | None, packages: list[str], modules: list[str]) -> tuple[str, list[str], list[str]]:
    """The source folder, packages and modules of a project: configured, or found."""
    root = project.root
    field = "[tool.shipyard]"
    if source is None:
        source = "src" if (root / "src").is_dir() and not (root / "src" / "__init__.py").exists() else ""
    source = source.strip("/")
    base = root / source
    if not base.is_dir():
        raise BuildError(f"folder {source!r} does not exist", file="pyproject.toml", field=f"{field}.source")
    shown = f"{source}/" if source else ""
    for package in packages:
        if not (base / package).is_dir():
            raise BuildError(f"package {package!r} not found: expected a folder {shown}{package}/",
                             file="pyproject.toml", field=f"{field}.packages")
    for module in modules:
        if not (base / module).is_file():
            raise BuildError(f"module {module!r} not found: expected a file {shown}{module}",
                             file="pyproject.toml", field=f"{field}.modules")
    if packages or modules:
        return source, sorted(packages), sorted(modules)
    name = project.import_name
    nested = project.normalized_name.replace("-", "/").replace(".", "/")
    for candidate in (name, name.lower(), nested):
        if (base / candidate).is_dir():
            return source, [candidate], []
        if (base / f"{candidate}.py").is_file():
            return source, [], [f"{candidate}.py"]
    found_packages = sorted(
        d.name for d in base.iterdir()
        if d.is_dir() and d.name.isidentifier() and d.name not in NOT_PACKAGES and (d / "__init__.py").is_file()
    )
    found_modules = sorted(
        f.name for f in base.glob("*.py") if f.stem.isidentifier() and f.name not in NOT_MODULES
    )
    if len(found_packages) == 1 and not found_modules:
        return source, found_packages, []
    if not found_packages and len(found_modules) == 1:
        return source, [], found_modules
    found = ", ".join([f"{p}/" for p in found_packages] + found_modules) or "nothing importable"
    raise BuildError(
        f"cannot tell what to put in the wheel: no package {shown}{name}/ or module {shown}{name}.py, "
        f"found {found}; expected packages = [...] or modules = [...]",
        file="pyproject.toml", field=field,
    )


# --- the sdist's file set -----------------------------------------------------------------------


def _skipped(path: str, is_dir: bool) -> bool:
    name = path.rsplit("/", 1)[-1]
    if is_dir:
        return name in ALWAYS_SKIPPED_DIRS or name.endswith(".egg-info") or ("/" not in path and name in ROOT_SKIPPED_DIRS)
    return False


_SKIPPED_FILE_PATTERNS = PatternSet.of(SKIPPED_FILES)
_SECRET_PATTERNS = PatternSet.of(SECRET_FILES)


def walk(root: Path, *, gitignore: bool = True) -> list[str]:
    """Project-relative files below `root`, minus VCS/venv/cache folders and, with
    `gitignore`, what .gitignore files (the root's and nested ones) exclude."""
    ignored = PatternSet()
    found: list[str] = []
    top = str(root)
    for folder, dirnames, filenames in os.walk(top):
        prefix = folder[len(top) + 1:] + "/" if folder != top else ""
        if "pyvenv.cfg" in filenames and prefix:  # a virtual environment
            dirnames[:] = []
            continue
        if gitignore and ".gitignore" in filenames:
            ignored.add_gitignore(Path(folder) / ".gitignore", prefix.rstrip("/"))
        dirnames[:] = sorted(d for d in dirnames if not _skipped(prefix + d, True)
                             and not (ignored and ignored.match(prefix + d, True)))
        for name in filenames:
            path = prefix + name
            if not (ignored and ignored.match(path)) and os.path.isfile(os.path.join(folder, name)):
                found.append(path)
    return sorted(found)


def tree_files(project: Project) -> list[str]:
    """`walk(project.root)`, done once per Project."""
    if project.tree is None:
        project.tree = walk(project.root)
    return project.tree


def git_files(root: Path) -> list[str] | None:
    """Files git tracks below `root` (relative to it), or None when the project is not part
    of a git checkout (also when it sits untracked inside one)."""
    if not any((parent / ".git").exists() for parent in (root, *root.parents)):
        return None
    import subprocess

    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--recurse-submodules"], cwd=root,
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    files = [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]
    if not any(p in files for p in ("pyproject.toml", "setup.py", "setup.cfg")):
        return None
    return [p for p in files if (root / p).is_file() and not any(
        _skipped("/".join(p.split("/")[: i + 1]), True) for i in range(p.count("/")))]


def source_files(root: Path) -> list[str]:
    """The files a project's sdist draws from: git's tracked files, or a walk outside a checkout."""
    tracked = git_files(root)
    return tracked if tracked is not None else walk(root)


def sdist_files(project: Project) -> list[str]:
    """Every project-relative file the sdist carries, sorted."""
    root = project.root
    tracked = git_files(root)
    candidates = tracked if tracked is not None else tree_files(project)
    files = {p for p in candidates if not _SKIPPED_FILE_PATTERNS.match(p) and not _SECRET_PATTERNS.match(p)}
    if project.sdist_include:
        include = PatternSet.of(project.sdist_include)
        files.update(p for p in walk(root, gitignore=False) if include.match(p))
    required = list(project.build_files) + list(project.license_files)
    if project.readme and project.readme.path:
        required.append(project.readme.path)
    for path in required:
        if (root / path).is_file():
            files.add(PurePosixPath(path).as_posix())
    if project.sdist_exclude:
        exclude = PatternSet.of(project.sdist_exclude)
        files = {p for p in files if not exclude.match(p) or p in required}
    return sorted(files)


# --- the wheel's file plan ------------------------------------------------------------------------


def wheel_plan(project: Project, available: list[str], *, complete: bool = True) -> dict[str, str]:
    """Wheel path -> project-relative source file, for the files of `available` (the sdist's set).

    Raises BuildError when two files map to one wheel path, and (with `complete`) when a
    package file on disk is missing from `available`.
    """
    prefix = f"{project.source}/" if project.source else ""
    exclude = PatternSet.of(project.wheel_exclude)
    include = PatternSet.of(project.wheel_include)
    plan: dict[str, str] = {}

    def add(wheel_path: str, source: str) -> None:
        if wheel_path in plan and plan[wheel_path] != source:
            raise BuildError(f"two files map to one wheel path {wheel_path!r}: {plan[wheel_path]} and {source}",
                             file="pyproject.toml", field="[tool.shipyard.wheel]")
        plan[wheel_path] = source

    package_dirs = [prefix + p for p in project.packages]
    for path in available:
        if path.startswith(prefix) and _in_packages(path, package_dirs) or path in (prefix + m for m in project.modules):
            wheel_path = path[len(prefix):]
            if not _SKIPPED_FILE_PATTERNS.match(wheel_path) and not exclude.match(wheel_path):
                add(wheel_path, path)
        elif include and include.match(path):
            add(path[len(prefix):] if path.startswith(prefix) else path, path)
    if complete:
        _check_nothing_missing(project, package_dirs, set(available), exclude, prefix)
    for scheme, targets in sorted(project.wheel_data.items()):
        data_dir = f"{project.distribution_name}-{project.version}.data/{scheme}"
        for target, globs in sorted(targets.items()):
            patterns = PatternSet.of(globs)
            matched = [p for p in available if patterns.match(p)]
            if not matched:
                raise BuildError(f"{globs} match no file in the sdist", file="pyproject.toml",
                                 field=f"[tool.shipyard.wheel.data].{scheme}")
            for path in matched:
                name = path.rsplit("/", 1)[-1]
                relative = name if scheme == "scripts" or target else path
                add(f"{data_dir}/{target + '/' if target else ''}{relative}", path)
    if not plan:
        raise BuildError("the wheel would be empty: no package or module files found",
                         file="pyproject.toml", field="[tool.shipyard]")
    return dict(sorted(plan.items()))


def _in_packages(path: str, package_dirs: list[str]) -> bool:
    return any(path.startswith(d + "/") for d in package_dirs)


def _check_nothing_missing(project: Project, package_dirs: list[str], available: set[str],
                           exclude: PatternSet, prefix: str) -> None:
    missing = [
        path for path in tree_files(project)
        if path not in available and _in_packages(path, package_dirs) and not _SKIPPED_FILE_PATTERNS.match(path)
        and not _SECRET_PATTERNS.match(path) and not exclude.match(path[len(prefix):])
    ]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        hint = ("git does not track them: 'git add' them, or exclude them from the wheel with "
                "[tool.shipyard.wheel] exclude") if git_files(project.root) is not None else \
            "they are excluded from the sdist: include them, or exclude them from the wheel too"
        raise BuildError(f"package files missing from the sdist, so a wheel built from it would lack them: "
                         f"{shown} ({hint})", file=str(project.root))
