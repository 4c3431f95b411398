"""What a bundle needs: the imports of the app's own code, and the pruned standard library.

Third-party code goes in as whole distributions (see distributions.py); import tracing is
used only to find which distributions the app's own code needs and which parts of the
standard library everything bundled can reach. The standard library is traced at the
granularity of top-level modules and packages (a used package goes in whole, minus its
tests), which keeps dynamic imports inside a package working.
"""

from __future__ import annotations

import ast
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from shipyard.freeze.bytecode import compile_module
from shipyard.freeze.elf import strings
from shipyard.freeze.interpreter import Interpreter
from shipyard.freeze.layout import Bundle, Item

#: What the interpreter itself needs to start, whatever the app imports.
STARTUP = ("encodings", "site", "os", "codecs", "io", "abc", "stat", "_collections_abc",
           "_sitebuiltins", "posixpath", "genericpath", "traceback", "linecache", "warnings",
           "runpy", "importlib", "zipimport")
#: Development tools of the standard library that only an explicit --include-module adds.
NEVER_TRACED = frozenset({"test", "idlelib", "turtledemo", "lib2to3", "ensurepip", "pydoc_data"})
#: Test folders inside standard-library packages.
TEST_DIRS = frozenset({"test", "tests", "idle_test", "__pycache__"})
STDLIB_NAMES = frozenset(sys.stdlib_module_names)
#: Modules the standard library imports by a computed name.
HIDDEN = {"sysconfig": (sysconfig._get_sysconfigdata_name(),)}


@dataclass
class AppImports:
    """Top-level names the app's code imports; `required` are those outside try blocks."""

    all: set[str] = field(default_factory=set)
    required: set[str] = field(default_factory=set)


def app_imports(tree: ast.AST) -> AppImports:
    """Absolute imports of a module; an import inside `try:` is optional."""
    found = AppImports()

    def visit(node: ast.AST, optional: bool) -> None:
        for child in ast.iter_child_nodes(node):
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [child.module]
            for name in names:
                top = name.split(".")[0]
                found.all.add(top)
                if not optional:
                    found.required.add(top)
            visit(child, optional or isinstance(child, ast.Try | ast.TryStar))

    visit(tree, False)
    return found


class Stdlib:
    """The host's standard library, traced by top-level name."""

    def __init__(self, interp: Interpreter, optimize: int):
        self.interp = interp
        self.optimize = optimize
        self._ext = {p.name.split(".")[0]: p for p in interp.dynload.glob("*.so")}
        self._items: dict[str, Bundle] = {}
        self._imports: dict[str, set[str]] = {}

    def is_stdlib(self, name: str) -> bool:
        return name in STDLIB_NAMES

    def _sources(self, name: str) -> list[Path]:
        package = self.interp.stdlib / name
        if (package / "__init__.py").exists():
            return sorted(p for p in package.rglob("*.py") if not TEST_DIRS & set(p.relative_to(package).parts[:-1]))
        module = self.interp.stdlib / f"{name}.py"
        return [module] if module.exists() else []

    def _load(self, name: str) -> None:
        items: Bundle = {}
        imports: set[str] = set()
        dest = self.interp.stdlib_dest
        for source in self._sources(name):
            rel = source.relative_to(self.interp.stdlib).as_posix()
            try:
                compiled = compile_module(source.read_bytes(), f"{dest}/{rel}", self.optimize)
            except (SyntaxError, ValueError):
                continue  # e.g. lib2to3 test data; never importable anyway
            items[f"{dest}/{rel[:-3]}.pyc"] = Item(data=compiled.pyc)
            imports |= compiled.imports
        ext = self._ext.get(name)
        if ext is not None:
            items[f"{dest}/lib-dynload/{ext.name}"] = Item(source=ext, mode=0o755)
            imports |= strings(ext) & STDLIB_NAMES
        self._items[name] = items
        self._imports[name] = {n for n in imports if n in STDLIB_NAMES and n != name} | set(HIDDEN.get(name, ()))

    def closure(self, seeds: Iterable[str], include: Iterable[str] = (), exclude: Iterable[str] = ()) -> Bundle:
        """Files of every standard-library module reachable from `seeds` (top-level names)."""
        excluded = set(exclude)
        excluded_tops = {n for n in excluded if "." not in n}
        todo = [n for n in (*STARTUP, *seeds) if n in STDLIB_NAMES and n not in NEVER_TRACED]
        todo += [n.split(".")[0] for n in include]
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen or name in excluded_tops:
                continue
            seen.add(name)
            if name not in self._items:
                self._load(name)
            todo.extend(n for n in self._imports[name] if n not in NEVER_TRACED)
        bundle: Bundle = {}
        prefixes = tuple(f"{self.interp.stdlib_dest}/{n.replace('.', '/')}" for n in excluded if "." in n)
        for name in sorted(seen):
            for path, item in self._items[name].items():
                if not (prefixes and path.startswith(prefixes)):
                    bundle[path] = item
        return bundle
