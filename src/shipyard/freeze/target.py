"""What to freeze: a script (with PEP 723 metadata), `-m MODULE`, or a project's console script.

Resolving a target checks everything that can be checked before a file is written: the
script compiles, its dependencies are installed or installable, the module or entry point
exists, every module the app's own code imports outside a `try:` can be found.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from shipyard_core.errors import ShipyardError

from shipyard.freeze import staging
from shipyard.freeze.analysis import STDLIB_NAMES, app_imports
from shipyard.freeze.distributions import Environment

PEP723 = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
IGNORED_DIRS = {"__pycache__", ".git", ".venv", "venv", "node_modules", "dist", "build"}


@dataclass
class App:
    """A resolved target: how the app starts and what goes into the bundle for it."""

    kind: str                          # "script" | "module" | "entry"
    name: str                          # default executable name
    entry: str                         # script path in app/, module name, or "module:function"
    env: Environment                   # where its distributions are taken from
    origin: Path                       # the file or folder errors are about
    requirements: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # app/ relative path -> source file


def script_metadata(source: str, path: Path) -> dict | None:
    """The `# /// script` block of a PEP 723 script, or None."""
    blocks = [m for m in PEP723.finditer(source) if m.group("type") == "script"]
    if len(blocks) > 1:
        raise ShipyardError("more than one '# /// script' block", file=path)
    if not blocks:
        return None
    content = "".join(line[2:] if line.startswith("# ") else line[1:]
                      for line in blocks[0].group("content").splitlines(keepends=True))
    try:
        return tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise ShipyardError(f"invalid '# /// script' metadata: {exc}", file=path) from None


def parse(path: Path) -> ast.Module:
    """Parse a Python file; a syntax error becomes a ShipyardError naming file and line."""
    try:
        return ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as exc:
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        raise ShipyardError(f"syntax error ({where}): {exc.msg}", file=path) from None
    except ValueError as exc:
        raise ShipyardError(f"cannot be compiled: {exc}", file=path) from None


def current_environment() -> Environment:
    """The environment shipyard runs in: its sys.path, minus the standard library."""
    import sysconfig

    skip = {Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_config_var("DESTSHARED"))}
    sites = [Path(p) for p in sys.path if p and Path(p).is_dir() and Path(p) not in skip]
    return Environment(sites)


def _local_module(folder: Path, name: str) -> list[Path]:
    """The files of module `name` found in `folder` (a module file or a whole package folder)."""
    package = folder / name
    if (package / "__init__.py").is_file():
        return sorted(p for p in package.rglob("*") if p.is_file()
                      and not IGNORED_DIRS & set(p.relative_to(folder).parts) and p.suffix != ".pyc")
    module = folder / f"{name}.py"
    return [module] if module.is_file() else []


def _add_code(app: App, roots: list[Path], start: dict[str, Path], owners: dict[str, str]) -> None:
    """Add the app's own modules reachable from `start`, and the distributions they import."""
    todo = list(start.items())
    while todo:
        rel, path = todo.pop()
        app.files[rel] = path
        if path.suffix != ".py":
            continue
        imports = app_imports(parse(path))
        for name in sorted(imports.all - STDLIB_NAMES):
            if name in owners:
                if owners[name] not in app.requirements:
                    app.requirements.append(owners[name])
                continue
            found = next((r for r in roots if _local_module(r, name)), None)
            if found is not None:
                for f in _local_module(found, name):
                    key = f.relative_to(found).as_posix()
                    if key not in app.files and all(key != k for k, _ in todo):
                        todo.append((key, f))
            elif name in imports.required:
                raise ShipyardError(f"imports '{name}', which is not installed in {app.env.where()} "
                                    "(nor a module beside it)", file=path)


def from_script(path: Path) -> App:
    if not path.is_file():
        raise ShipyardError("no such script", file=path)
    parse(path)
    meta = script_metadata(path.read_text(encoding="utf-8", errors="replace"), path)
    if meta is not None:
        _check_requires_python(meta.get("requires-python"), path)
        deps = meta.get("dependencies", [])
        if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
            raise ShipyardError("'dependencies' must be a list of strings", file=path, field="script.dependencies")
        env = Environment([staging.for_requirements(deps, path)])
        requirements = list(deps)
    else:
        env, requirements = current_environment(), []
    app = App("script", path.stem, path.name, env, path, requirements)
    owners = env.owners
    roots = [path.parent] + ([] if meta is not None else env.sites)
    _add_code(app, roots, {path.name: path}, owners)
    return app


def _check_requires_python(spec: str | None, path: Path) -> None:
    if not spec:
        return
    try:
        ok = SpecifierSet(spec).contains(".".join(map(str, sys.version_info[:3])))
    except InvalidSpecifier:
        raise ShipyardError(f"invalid requires-python {spec!r}", file=path) from None
    if not ok:
        raise ShipyardError(f"requires Python {spec}, this is {sys.version.split()[0]}", file=path)


def from_module(name: str) -> App:
    env = current_environment()
    top = name.split(".")[0]
    owners = env.owners
    rel = name.replace(".", "/")
    candidates = (f"{rel}.py", f"{rel}/__main__.py")
    if top in owners:
        dist = env.get(owners[top])
        if not any(c in dist.files for c in candidates):
            raise ShipyardError(f"no module named '{name}' (with a __main__ if it is a package) in {dist.name}",
                                field="-m")
        return App("module", name.split(".")[-1], name, env, Path(dist.site), [dist.name])
    if top in STDLIB_NAMES:
        return App("module", name.split(".")[-1], name, env, Path(name))
    cwd = Path.cwd()
    if not _local_module(cwd, top):
        raise ShipyardError(f"no module named '{name}' in the current environment or in {cwd}", field="-m")
    if not any((cwd / c).is_file() for c in candidates):
        raise ShipyardError(f"no module named '{name}' (with a __main__ if it is a package) in {cwd}", field="-m")
    app = App("module", name.split(".")[-1], name, env, cwd)
    _add_code(app, [cwd], {f.relative_to(cwd).as_posix(): f for f in _local_module(cwd, top)}, owners)
    return app


def _defines(tree: ast.Module, attr: str) -> bool:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == attr:
            return True
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == attr for t in targets):
                return True
        if isinstance(node, ast.Import | ast.ImportFrom) and any((a.asname or a.name) == attr for a in node.names):
            return True
    return False


def from_project(folder: Path, entry: str | None, stack: ExitStack) -> App:
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        raise ShipyardError("is a folder without pyproject.toml (freeze takes a script, -m MODULE or a project)",
                            file=folder)
    try:
        project = tomllib.loads(pyproject.read_text()).get("project", {})
    except tomllib.TOMLDecodeError as exc:
        raise ShipyardError(f"invalid TOML: {exc}", file=pyproject) from None
    scripts: dict[str, str] = project.get("scripts", {})
    if not scripts:
        raise ShipyardError("the project has no console scripts to freeze", file=pyproject, field="[project.scripts]")
    if entry is None:
        if len(scripts) > 1:
            raise ShipyardError(f"the project has several console scripts ({', '.join(sorted(scripts))}); "
                                "choose one with --entry", file=pyproject, field="[project.scripts]")
        entry = next(iter(scripts))
    if entry not in scripts:
        raise ShipyardError(f"no console script named '{entry}' (the project has: {', '.join(sorted(scripts))})",
                            file=pyproject, field="[project.scripts]")
    target = scripts[entry].split("[")[0].strip()
    module, _, attr = target.partition(":")
    site = stack.enter_context(staging.ProjectEnvironment(folder))
    env = Environment([site])
    source = next((site / p for p in (f"{module.replace('.', '/')}.py", f"{module.replace('.', '/')}/__init__.py")
                   if (site / p).is_file()), None)
    if source is None:
        raise ShipyardError(f"entry point '{entry} = {scripts[entry]}': no module '{module}' in the project",
                            file=pyproject, field="[project.scripts]")
    if attr and not _defines(parse(source), attr.split(".")[0]):
        raise ShipyardError(f"entry point '{entry} = {scripts[entry]}': '{module}' defines no '{attr}'",
                            file=pyproject, field="[project.scripts]")
    return App("entry", entry, target, env, pyproject, [project.get("name", entry)])
