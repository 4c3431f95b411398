"""What a bundle needs: the imports of the app's own code, and the pruned standard library.

Third-party code goes in as whole distributions (see distributions.py); import tracing is
used only to find which distributions the app's own code needs and which parts of the
standard library everything bundled can reach. The standard library is traced module by
module through the bytecode of everything bundled, plus a table of what the standard
library's C code imports and the module names that third-party extension modules carry as
strings; a few packages that import by computed names go in whole.
"""

from __future__ import annotations

import ast
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from shipyard.freeze.bytecode import absolute, compile_many
from shipyard.freeze.interpreter import Interpreter
from shipyard.freeze.layout import Bundle, Item

#: What the interpreter itself needs to start, whatever the app imports.
STARTUP = ("encodings", "site", "os", "codecs", "io", "abc", "stat", "_collections_abc",
           "_sitebuiltins", "posixpath", "genericpath", "traceback", "linecache", "warnings")
#: Development tools of the standard library that only an explicit --include-module adds.
NEVER_TRACED = frozenset({"test", "idlelib", "turtledemo", "lib2to3", "ensurepip", "pydoc_data"})
#: Packages that go in whole when used: they import their submodules by computed names.
WHOLE = frozenset({"encodings", "multiprocessing", "dbm", "xml.sax"})
#: Test folders inside standard-library packages.
TEST_DIRS = frozenset({"test", "tests", "idle_test", "__pycache__", "site-packages"})
STDLIB_NAMES = frozenset(sys.stdlib_module_names)
#: Standard-library imports that serve only interactive use or self-tests: help() and tab
#: completion in the interactive interpreter, and the `_test()` functions that run doctests.
#: (The app's own imports of these modules are always honored.)
IGNORED_EDGES = frozenset({("_sitebuiltins", "pydoc"), ("site", "rlcompleter"), ("site", "readline"),
                           ("*", "doctest"), ("ast", "argparse"), ("zipimport", "importlib.readers"),
                           ("importlib._bootstrap_external", "importlib.metadata")})
#: Modules that the standard library imports by a computed name or from C code.
HIDDEN: dict[str, tuple[str, ...]] = {
    "sysconfig": (sysconfig._get_sysconfigdata_name(),),
    "time": ("_strptime",),
    "_datetime": ("_strptime",),
    "_pickle": ("copyreg", "_compat_pickle"),
    "_decimal": ("collections", "collections.abc", "numbers", "contextvars"),
    "_elementtree": ("copy", "xml.etree.ElementPath"),
    "_zoneinfo": ("zoneinfo._common",),
    "_codecs": ("encodings",),
    "_ctypes": ("ctypes",),
    "pyexpat": ("xml.parsers.expat",),
}


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
    """The host's standard library, traced module by module."""

    def __init__(self, interp: Interpreter, optimize: int):
        self.interp = interp
        self.optimize = optimize
        self.files: dict[str, Path] = {}   # dotted module name -> source or extension file
        self.packages: set[str] = set()
        for path in sorted(interp.stdlib.rglob("*.py")):
            rel = path.relative_to(interp.stdlib)
            if TEST_DIRS & set(rel.parts[:-1]) or not all(p.isidentifier() for p in rel.parts[:-1]):
                continue
            parts = list(rel.parts[:-1]) + ([] if rel.name == "__init__.py" else [rel.stem])
            if rel.name == "__init__.py":
                self.packages.add(".".join(parts))
            elif len(parts) > 1 and not (interp.stdlib / rel.parent / "__init__.py").exists():
                continue
            self.files[".".join(parts)] = path
        for path in sorted(interp.dynload.glob("*.so")):
            self.files.setdefault(path.name.split(".")[0], path)
        self._items: dict[str, Bundle] = {}
        self._imports: dict[str, set[str]] = {}

    def _load(self, names: list[str]) -> None:
        """Compile and scan modules (in one batch, so that cache misses compile in parallel)."""
        sources = [n for n in names if self.files[n].suffix == ".py"]
        dests = {n: f"{self.interp.stdlib_dest}/{self.files[n].relative_to(self.interp.stdlib).as_posix()}"
                 for n in sources}
        compiled = dict(zip(sources, compile_many([(self.files[n].read_bytes(), dests[n]) for n in sources],
                                                  self.optimize), strict=True))
        for name in names:
            path = self.files[name]
            items: Bundle = {}
            imports: set[str] = set()
            if path.suffix == ".so":
                items[f"{self.interp.stdlib_dest}/lib-dynload/{path.name}"] = Item(source=path, mode=0o755)
            elif compiled[name] is not None:   # None: e.g. lib2to3 test data, never importable anyway
                items[dests[name][:-3] + ".pyc"] = Item(data=compiled[name].pyc)
                imports = absolute(compiled[name].imports, name, name in self.packages)
            if name in WHOLE or any(name.startswith(w + ".") for w in WHOLE):
                imports |= {n for n in self.files if n.startswith(name + ".")}
            top = name.split(".")[0]
            self._items[name] = items
            self._imports[name] = {
                n for n in imports
                if (n in self.files or n in HIDDEN) and n != name and n.split(".")[0] not in NEVER_TRACED
                and not {(name, n), (top, n.split(".")[0]), ("*", n.split(".")[0])} & IGNORED_EDGES}

    def closure(self, seeds: Iterable[str], include: Iterable[str] = (), exclude: Iterable[str] = ()) -> Bundle:
        """Files of every standard-library module reachable from `seeds` (dotted names)."""
        excluded = tuple(set(exclude))
        todo = [n for n in (*STARTUP, *seeds) if n.split(".")[0] in STDLIB_NAMES | set(self.files)
                and n.split(".")[0] not in NEVER_TRACED]
        for name in include:   # an included package comes whole
            todo += [n for n in self.files if n == name or n.startswith(name + ".")]
        seen: set[str] = set()
        while todo:   # breadth first, one batch per level
            new = []
            for name in todo:
                if name not in seen and not any(name == e or name.startswith(e + ".") for e in excluded):
                    seen.add(name)
                    new.append(name)
            batch = [n for n in new if n in self.files]
            self._load([n for n in batch if n not in self._items])
            todo = [hidden for name in new for hidden in HIDDEN.get(name, ())]
            for name in batch:
                todo.extend(self._imports[name])
                if "." in name:
                    todo.append(name.rpartition(".")[0])
        bundle: Bundle = {}
        for name in sorted(seen & set(self._items)):
            bundle.update(self._items[name])
        return bundle
