"""pyproject.toml -> Project: the validated metadata and build settings of one project.

Every value is checked here, once, with an error that names the file, the field and what
was expected; the writers downstream trust what they get.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.version import InvalidVersion, Version

from shipyard_core.errors import BuildError

if TYPE_CHECKING:  # imported where used: a project without dependencies builds without them
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

PYPROJECT = "pyproject.toml"


def canonicalize_name(name: str) -> str:
    """The normalized form of a project or extra name (PEP 503 / PEP 685)."""
    return re.sub(r"[-_.]+", "-", name).lower()


NAME_RE = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
EXTRA_RE = NAME_RE
ENTRY_POINT_RE = re.compile(r"^[\w.-]+\s*(:\s*[\w.]+)?\s*(\[[\w.,\s-]*\])?$")
README_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".rst": "text/x-rst", ".txt": "text/plain"}
DEFAULT_LICENSE_FILES = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")
DATA_SCHEMES = ("scripts", "data", "headers", "purelib", "platlib")
PROJECT_KEYS = {
    "name", "version", "description", "readme", "requires-python", "license", "license-files",
    "authors", "maintainers", "keywords", "classifiers", "urls", "dependencies",
    "optional-dependencies", "scripts", "gui-scripts", "entry-points", "dynamic",
}
TOOL_KEYS = {"packages", "modules", "source", "sdist", "wheel"}


@dataclass(frozen=True)
class Person:
    name: str | None
    email: str | None


@dataclass
class Readme:
    text: str
    content_type: str
    path: str | None = None  #: project-relative, when read from a file


@dataclass
class Project:
    """Everything a build needs to know about a project, validated."""

    root: Path
    name: str
    version: Version
    description: str | None = None
    readme: Readme | None = None
    requires_python: SpecifierSet | None = None
    license_expression: str | None = None
    license_text: str | None = None  #: the deprecated table form
    license_files: list[str] = field(default_factory=list)  #: project-relative, sorted
    authors: list[Person] = field(default_factory=list)
    maintainers: list[Person] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    classifiers: list[str] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)
    dependencies: list[Requirement] = field(default_factory=list)
    optional_dependencies: dict[str, list[Requirement]] = field(default_factory=dict)
    entry_points: dict[str, dict[str, str]] = field(default_factory=dict)
    dynamic: list[str] = field(default_factory=list)
    #: build settings from [tool.shipyard]
    source: str = ""  #: folder (project-relative) holding the import packages
    packages: list[str] = field(default_factory=list)  #: package paths relative to source, "a/b"
    modules: list[str] = field(default_factory=list)  #: single-module file names relative to source
    sdist_include: list[str] = field(default_factory=list)
    sdist_exclude: list[str] = field(default_factory=list)
    wheel_include: list[str] = field(default_factory=list)
    wheel_exclude: list[str] = field(default_factory=list)
    #: scheme -> target folder ("" keeps the project-relative path) -> globs
    wheel_data: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: files the sdist must carry for the project to rebuild (pyproject.toml, setup.py, ...)
    build_files: list[str] = field(default_factory=lambda: [PYPROJECT])
    #: notes for the user about values that were normalized (legacy projects)
    notes: list[str] = field(default_factory=list)
    #: the project's files as .gitignore leaves them (files.tree_files fills it once)
    tree: list[str] | None = field(default=None, repr=False)

    @property
    def normalized_name(self) -> str:
        return canonicalize_name(self.name)

    @property
    def distribution_name(self) -> str:
        """The name as it appears in file names (PEP 427/625): normalized, `_` for `-`."""
        return self.normalized_name.replace("-", "_")

    @property
    def import_name(self) -> str:
        return self.distribution_name


def load(root: str | Path) -> Project:
    """Read and validate the project in `root` (a folder holding pyproject.toml)."""
    root = Path(root).resolve()
    path = root / PYPROJECT
    if not path.is_file():
        from shipyard_core import legacy

        if legacy.is_legacy(root):
            return legacy.load(root)
        raise BuildError("no pyproject.toml here (nor a setup.py / setup.cfg)", file=path)
    data = read_pyproject(path)
    if "project" not in data:
        from shipyard_core import legacy

        if legacy.is_legacy(root):
            return legacy.load(root, pyproject=data)
        raise BuildError("has no [project] table: expected PEP 621 metadata", file=path)
    return from_table(root, data["project"], data.get("tool", {}).get("shipyard", {}))


def read_pyproject(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error names the line."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"is not valid TOML: {exc}", file=path) from None
    except UnicodeDecodeError as exc:
        raise BuildError(f"is not UTF-8 text: {exc}", file=path) from None


class _Fields:
    """Typed access to a TOML table, with errors that name the field."""

    def __init__(self, table: dict[str, Any], file: Path, prefix: str):
        self.table, self.file, self.prefix = table, file, prefix

    def fail(self, key: str, message: str) -> BuildError:
        return BuildError(message, file=self.file.name, field=f"{self.prefix}.{key}")

    def get(self, key: str, kind: type | tuple[type, ...], expected: str, default: Any = None) -> Any:
        value = self.table.get(key, default)
        if value is not default and not isinstance(value, kind):
            raise self.fail(key, f"expected {expected}, got {type(value).__name__} {value!r}")
        return value

    def strings(self, key: str) -> list[str]:
        value = self.get(key, list, "an array of strings", [])
        for item in value:
            if not isinstance(item, str):
                raise self.fail(key, f"expected an array of strings, found {item!r}")
        return list(value)


def from_table(root: Path, table: dict[str, Any], tool: dict[str, Any]) -> Project:
    """Build a Project from a `[project]` table and the `[tool.shipyard]` table."""
    file = root / PYPROJECT
    f = _Fields(table, file, "[project]")
    for key in table:
        if key not in PROJECT_KEYS:
            raise f.fail(key, f"unknown key: expected one of {', '.join(sorted(PROJECT_KEYS))}")
    dynamic = f.strings("dynamic")
    for key in dynamic:
        if key != "version":
            raise f.fail("dynamic", f"shipyard-core computes only 'version' dynamically, not {key!r}")
        if key in table:
            raise f.fail(key, "is listed in [project].dynamic and also given: expected one or the other")

    name = f.get("name", str, "a string")
    if name is None:
        raise f.fail("name", "is required")
    if not NAME_RE.match(name):
        raise f.fail("name", f"{name!r} is not a valid project name: expected letters, digits, '.', '_', '-', "
                             "starting and ending with a letter or digit")
    project = Project(root=root, name=name, version=Version("0"), dynamic=dynamic)
    _apply_tool(project, tool, file)

    if "version" in dynamic:
        project.version = _dynamic_version(project)
    else:
        raw = f.get("version", str, "a PEP 440 version string")
        if raw is None:
            raise f.fail("version", "is required (or list it in [project].dynamic)")
        project.version = parse_version(raw, f, "version")

    project.description = f.get("description", str, "a one-line string")
    if project.description and "\n" in project.description:
        raise f.fail("description", "expected a single line (the summary); put long text in readme")
    project.readme = _readme(f)
    if (rp := f.get("requires-python", str, "a version specifier like '>=3.11'")) is not None:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            project.requires_python = SpecifierSet(rp)
        except InvalidSpecifier:
            raise f.fail("requires-python", f"{rp!r} is not a valid version specifier") from None
    _license(project, f)
    project.authors = _people(f, "authors")
    project.maintainers = _people(f, "maintainers")
    project.keywords = f.strings("keywords")
    project.classifiers = _classifiers(f, project)
    urls = f.get("urls", dict, "a table of label = URL", {})
    for label, url in urls.items():
        if not isinstance(url, str):
            raise f.fail(f"urls.{label}", f"expected a URL string, got {url!r}")
        if len(label) > 32:
            raise f.fail(f"urls.{label}", "labels must be at most 32 characters (core metadata)")
    project.urls = dict(urls)
    project.dependencies = [_requirement(f, "dependencies", r) for r in f.strings("dependencies")]
    extras = f.get("optional-dependencies", dict, "a table of extra = [requirements]", {})
    for extra, reqs in extras.items():
        if not EXTRA_RE.match(extra):
            raise f.fail(f"optional-dependencies.{extra}", "is not a valid extra name")
        if not isinstance(reqs, list) or not all(isinstance(r, str) for r in reqs):
            raise f.fail(f"optional-dependencies.{extra}", "expected an array of requirement strings")
        key = canonicalize_name(extra)
        if key in project.optional_dependencies:
            raise f.fail(f"optional-dependencies.{extra}", f"names the same extra as another one ({key!r})")
        project.optional_dependencies[key] = [_requirement(f, f"optional-dependencies.{extra}", r) for r in reqs]
    project.entry_points = _entry_points(f)
    return project


def parse_version(raw: str, f: _Fields, key: str) -> Version:
    try:
        return Version(raw)
    except InvalidVersion:
        raise f.fail(key, f"{raw!r} is not a valid PEP 440 version (like '1.0', '2.1.0rc1', '0.1.dev0')") from None


def _requirement(f: _Fields, key: str, raw: str) -> Requirement:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(raw)
    except InvalidRequirement as exc:
        raise f.fail(key, f"{raw!r} is not a valid PEP 508 requirement: {exc}") from None


def _readme(f: _Fields) -> Readme | None:
    value = f.get("readme", (str, dict), "a file path or a table with file/text and content-type")
    if value is None:
        return None
    root = f.file.parent
    if isinstance(value, str):
        path, text, content_type = value, None, None
    else:
        unknown = set(value) - {"file", "text", "content-type"}
        if unknown:
            raise f.fail("readme", f"unknown keys {sorted(unknown)}: expected file or text, and content-type")
        path, text, content_type = value.get("file"), value.get("text"), value.get("content-type")
        if (path is None) == (text is None):
            raise f.fail("readme", "expected exactly one of 'file' and 'text'")
        if content_type is None:
            raise f.fail("readme.content-type", "is required in the table form")
    if path is not None:
        content_type = content_type or README_TYPES.get(Path(path).suffix.lower())
        if content_type is None:
            raise f.fail("readme", f"cannot tell the content type of {path!r}: expected a .md, .rst or .txt "
                                   "file, or the table form with content-type")
        full = root / path
        if not full.is_file():
            raise f.fail("readme", f"file {path!r} does not exist")
        try:
            text = full.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise f.fail("readme", f"cannot read {path!r} as UTF-8 text: {exc}") from None
    base = content_type.split(";")[0].strip()
    if base not in ("text/markdown", "text/x-rst", "text/plain"):
        raise f.fail("readme.content-type", f"{content_type!r}: expected text/markdown, text/x-rst or text/plain")
    return Readme(text=text, content_type=content_type, path=path)


def _license(project: Project, f: _Fields) -> None:
    value = f.get("license", (str, dict), "an SPDX license expression (PEP 639) or a table with file/text")
    license_files = f.get("license-files", list, "an array of glob patterns")
    if isinstance(value, str):
        project.license_expression = canonical_license(value, f)
    elif isinstance(value, dict):
        if license_files is not None:
            raise f.fail("license", "the table form cannot be combined with license-files (PEP 639): "
                                    "use an SPDX expression, e.g. license = \"MIT\"")
        if set(value) - {"file", "text"} or len(value) != 1:
            raise f.fail("license", "expected a table with exactly one of 'file' or 'text'")
        if "file" in value:
            full = f.file.parent / value["file"]
            if not full.is_file():
                raise f.fail("license.file", f"file {value['file']!r} does not exist")
            project.license_text = full.read_text(encoding="utf-8")
            license_files = [value["file"]]
        else:
            project.license_text = value["text"]
    if license_files is not None:
        for pattern in license_files:
            if not isinstance(pattern, str):
                raise f.fail("license-files", f"expected glob strings, found {pattern!r}")
        project.license_files = _glob_license_files(f, license_files, explicit=True)
    else:
        project.license_files = _glob_license_files(f, list(DEFAULT_LICENSE_FILES), explicit=False)


def canonical_license(expression: str, f: _Fields) -> str:
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        return canonicalize_license_expression(expression)
    except InvalidLicenseExpression as exc:
        raise f.fail("license", f"{expression!r} is not a valid SPDX license expression: {exc}") from None


def _glob_license_files(f: _Fields, patterns: list[str], *, explicit: bool) -> list[str]:
    root = f.file.parent
    found: set[str] = set()
    for pattern in patterns:
        if pattern.startswith("/") or ".." in Path(pattern).parts:
            raise f.fail("license-files", f"{pattern!r} must be a relative path inside the project")
        matches = [p for p in root.glob(pattern) if p.is_file()]
        if explicit and not matches and not any(c in pattern for c in "*?["):
            raise f.fail("license-files", f"file {pattern!r} does not exist")
        found.update(p.relative_to(root).as_posix() for p in matches)
    return sorted(found)


def _people(f: _Fields, key: str) -> list[Person]:
    people = []
    for i, entry in enumerate(f.get(key, list, "an array of {name, email} tables", [])):
        if not isinstance(entry, dict) or set(entry) - {"name", "email"} or not entry:
            raise f.fail(f"{key}[{i}]", f"expected a table with name and/or email, got {entry!r}")
        name, email = entry.get("name"), entry.get("email")
        if name is not None and ("," in name or not isinstance(name, str)):
            raise f.fail(f"{key}[{i}].name", f"{name!r}: expected a string without commas")
        if email is not None and (not isinstance(email, str) or "@" not in email):
            raise f.fail(f"{key}[{i}].email", f"{email!r}: expected an email address")
        people.append(Person(name, email))
    return people


def _classifiers(f: _Fields, project: Project) -> list[str]:
    classifiers = f.strings("classifiers")
    try:
        from trove_classifiers import classifiers as known, deprecated_classifiers
    except ImportError:  # validated when trove-classifiers is installed (it is with shipyard)
        known, deprecated_classifiers = None, {}
    for classifier in classifiers:
        if known is not None and classifier not in known:
            hint = ""
            if classifier in deprecated_classifiers:
                hint = f" (deprecated; use {', '.join(deprecated_classifiers[classifier]) or 'none'})"
            raise f.fail("classifiers", f"{classifier!r} is not a known trove classifier{hint}")
        if project.license_expression and classifier.startswith("License ::"):
            raise f.fail("classifiers", f"{classifier!r}: license classifiers cannot be combined with a "
                                        "license expression (PEP 639); remove the classifier")
    return classifiers


def _entry_points(f: _Fields) -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    for key, group in (("scripts", "console_scripts"), ("gui-scripts", "gui_scripts")):
        table = f.get(key, dict, "a table of name = 'module:function'", {})
        if table:
            groups[group] = _entry_point_table(f, key, table)
    for group, table in f.get("entry-points", dict, "a table of groups", {}).items():
        if group in ("console_scripts", "gui_scripts"):
            raise f.fail(f"entry-points.{group}", f"is not allowed here: use [project.{group.replace('_', '-')}]")
        if not isinstance(table, dict):
            raise f.fail(f"entry-points.{group}", "expected a table of name = 'object reference'")
        groups[group] = _entry_point_table(f, f"entry-points.{group}", table)
    return groups


def _entry_point_table(f: _Fields, key: str, table: dict[str, Any]) -> dict[str, str]:
    for name, ref in table.items():
        if not isinstance(ref, str) or not ENTRY_POINT_RE.match(ref):
            raise f.fail(f"{key}.{name}", f"{ref!r}: expected an object reference like 'package.module:function'")
    return dict(table)


def _apply_tool(project: Project, tool: dict[str, Any], file: Path) -> None:
    t = _Fields(tool, file, "[tool.shipyard]")
    for key in tool:
        if key not in TOOL_KEYS:
            raise t.fail(key, f"unknown key: expected one of {', '.join(sorted(TOOL_KEYS))}")
    source = t.get("source", str, "a folder path")
    packages = [p.replace(".", "/") for p in t.strings("packages")]
    modules = [m if m.endswith(".py") else f"{m}.py" for m in t.strings("modules")]
    from shipyard_core.files import discover

    project.source, project.packages, project.modules = discover(project, source, packages, modules)
    sdist = _Fields(t.get("sdist", dict, "a table", {}), file, "[tool.shipyard.sdist]")
    project.sdist_include, project.sdist_exclude = sdist.strings("include"), sdist.strings("exclude")
    wheel = _Fields(t.get("wheel", dict, "a table", {}), file, "[tool.shipyard.wheel]")
    project.wheel_include, project.wheel_exclude = wheel.strings("include"), wheel.strings("exclude")
    data = wheel.get("data", dict, "a table of scheme = globs", {})
    for scheme, spec in data.items():
        if scheme not in DATA_SCHEMES:
            raise wheel.fail(f"data.{scheme}", f"unknown scheme: expected one of {', '.join(DATA_SCHEMES)}")
        if isinstance(spec, list) and all(isinstance(s, str) for s in spec):
            project.wheel_data[scheme] = {"": list(spec)}
        elif isinstance(spec, dict) and all(
            isinstance(v, list) and all(isinstance(s, str) for s in v) for v in spec.values()
        ):
            project.wheel_data[scheme] = {k.strip("/"): list(v) for k, v in spec.items()}
        else:
            raise wheel.fail(f"data.{scheme}", "expected an array of globs, or a table of target folder = [globs]")


VERSION_RE = re.compile(r"^__version__\s*(?::\s*str\s*)?=", re.MULTILINE)


def _dynamic_version(project: Project) -> Version:
    """`__version__` from the package source, read with ast (never imported)."""
    import ast

    candidates = [f"{p}/__init__.py" for p in project.packages] + list(project.modules)
    for relative in candidates:
        path = project.root / project.source / relative
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if not VERSION_RE.search(text):
            continue
        where = path.relative_to(project.root).as_posix()
        try:
            tree = ast.parse(text, filename=where)
        except SyntaxError as exc:
            raise BuildError(f"cannot be parsed to find __version__: {exc.msg} (line {exc.lineno})", file=where) from None
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            if any(isinstance(t, ast.Name) and t.id == "__version__" for t in targets):
                if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                    raise BuildError("__version__ must be a string literal to be read without importing",
                                     file=where, field=f"line {node.lineno}")
                try:
                    return Version(node.value.value)
                except InvalidVersion:
                    raise BuildError(f"{node.value.value!r} is not a valid PEP 440 version",
                                     file=where, field="__version__") from None
    raise BuildError(
        f"version is dynamic but no __version__ = '...' was found in {', '.join(candidates) or 'the package'}",
        file=PYPROJECT, field="[project].dynamic",
    )
