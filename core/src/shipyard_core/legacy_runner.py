"""Run a setup.py with stand-in `distutils` and `setuptools` that record the `setup()` call.

This file is executed as a script in a child process (never imported by shipyard-core):

    python legacy_runner.py PROJECT_ROOT RESULT_JSON TIMEOUT_SECONDS

It makes every `distutils.*` and `setuptools.*` import resolve to a stand-in module, so the
real ones are never imported, runs setup.py as `__main__` in the project folder, and writes
JSON to RESULT_JSON: ``{"keywords": {...}, "line": N}`` for the recorded call, or
``{"error": "...", "line": N}`` when setup.py raised or never called setup(). A value JSON
cannot hold (an Extension, a command class) is written as ``{"__object__": type, "repr": ...}``.
When setup.py runs longer than the time limit, faulthandler prints where it was and the
process exits; the parent reads that traceback from stderr.
"""

from __future__ import annotations

import faulthandler
import fnmatch
import importlib.abc
import importlib.machinery
import json
import os
import sys
import traceback
import types

ROOTS = ("distutils", "setuptools", "_distutils_hack", "pkg_resources")
SETUP_PY = "setup.py"


_recorded: dict = {}


def _setup(*args, **keywords):
    """The stand-in `setup()`: records its keywords once, returns a harmless object."""
    if not _recorded:
        frame = sys._getframe(1)
        while frame is not None and os.path.basename(frame.f_code.co_filename) != SETUP_PY:
            frame = frame.f_back
        _recorded["keywords"] = keywords
        _recorded["line"] = frame.f_lineno if frame is not None else None
    return types.SimpleNamespace(metadata=types.SimpleNamespace(), command_options={})


def _find_packages(where=".", exclude=(), include=("*",), namespace=False):
    """What setuptools.find_packages returns, computed without setuptools."""
    where = os.fspath(where)
    found = []
    for folder, dirnames, _ in os.walk(where):
        dirnames[:] = sorted(d for d in dirnames if d.isidentifier() and "." not in d)
        for d in list(dirnames):
            full = os.path.join(folder, d)
            package = os.path.relpath(full, where).replace(os.sep, ".")
            if not namespace and not os.path.isfile(os.path.join(full, "__init__.py")):
                dirnames.remove(d)
                continue
            if any(fnmatch.fnmatchcase(package, p) for p in include) and \
                    not any(fnmatch.fnmatchcase(package, p) for p in exclude):
                found.append(package)
    return found


def _find_namespace_packages(where=".", exclude=(), include=("*",)):
    return _find_packages(where, exclude, include, namespace=True)


class _PlaceholderType(type):
    """Attributes of placeholder classes (`build_py.run`) are placeholders too."""

    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _placeholder_class(name)


class _Placeholder(metaclass=_PlaceholderType):
    """Any class or function setup.py imports from distutils/setuptools that is not modelled."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs

    def __init_subclass__(cls, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Placeholder(*args, **kwargs)

    def __getattr__(self, name):
        return _Placeholder()

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(map(repr, self.args))})"


class Extension(_Placeholder):
    def __init__(self, name, sources=(), *args, **kwargs):
        super().__init__(name, sources, *args, **kwargs)
        self.name = name


class Command(_Placeholder):
    user_options: list = []


def _placeholder_class(name: str) -> type:
    return type(name, (_Placeholder,), {})


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        value = _placeholder_class(name)  # a class: it can be called, subclassed or used as a value
        setattr(self, name, value)
        return value


KNOWN = {
    "setup": _setup, "find_packages": _find_packages, "find_namespace_packages": _find_namespace_packages,
    "Extension": Extension, "Command": Command, "Distribution": _placeholder_class("Distribution"),
    "__version__": "0", "PackageFinder": types.SimpleNamespace(find=_find_packages),
    "PEP420PackageFinder": types.SimpleNamespace(find=_find_namespace_packages),
}


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves every distutils/setuptools (sub)module to a recording stand-in."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in ROOTS:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _StandIn(spec.name)
        module.__path__ = []
        module.__dict__.update(KNOWN)
        return module

    def exec_module(self, module):
        pass


def _jsonable(value, depth: int = 0):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if depth > 20:
        return {"__object__": type(value).__name__, "repr": "..."}
    if isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v, depth + 1) for v in value), key=repr)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Extension):
        return {"__object__": "Extension", "repr": value.name}
    name = value.__name__ if isinstance(value, type) else type(value).__name__
    return {"__object__": name, "repr": repr(value)[:200]}


def _error_line(tb) -> int | None:
    line = None
    for frame in traceback.extract_tb(tb):
        if os.path.basename(frame.filename) == SETUP_PY:
            line = frame.lineno
    return line


def main(root: str, result_path: str, timeout: float) -> int:
    os.chdir(root)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [root] + [p for p in sys.path if os.path.abspath(p or ".") != here]  # as `python setup.py`
    sys.argv = [SETUP_PY, "bdist_wheel"]  # what a build frontend runs
    for name in [m for m in sys.modules if m.split(".")[0] in ROOTS]:
        del sys.modules[name]
    sys.meta_path.insert(0, StandInFinder())
    faulthandler.dump_traceback_later(timeout, exit=True)
    path = os.path.join(root, SETUP_PY)
    result: dict
    try:
        with open(path, "rb") as f:
            code = compile(f.read(), path, "exec")
        exec(code, {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__})
    except SystemExit as exc:
        if not _recorded and exc.code not in (None, 0):
            result = {"error": f"exited with status {exc.code!r} before calling setup()",
                      "line": _error_line(exc.__traceback__)}
            return _write(result_path, result)
    except BaseException as exc:  # everything setup.py raises is reported, with its line
        if not _recorded:
            message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            line = exc.lineno if isinstance(exc, SyntaxError) and exc.filename == path else _error_line(exc.__traceback__)
            return _write(result_path, {"error": f"raised {message}", "line": line})
    finally:
        faulthandler.cancel_dump_traceback_later()
    if not _recorded:
        return _write(result_path, {"error": "never called setup()", "line": None})
    return _write(result_path, {"keywords": _jsonable(_recorded["keywords"]), "line": _recorded["line"]})


def _write(result_path: str, result: dict) -> int:
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
