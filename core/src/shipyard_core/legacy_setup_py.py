"""The keywords of a setup.py's `setup()` call: read statically when they are literals, else
recorded by running setup.py in a child process with stand-in distutils/setuptools."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shipyard_core.errors import BuildError

SETUP_PY = "setup.py"
DEFAULT_TIMEOUT = 20.0
TIMEOUT_ENV = "SHIPYARD_SETUP_PY_TIMEOUT"
RUNNER = Path(__file__).with_name("legacy_runner.py")
FAULT_LINE_RE = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


@dataclass(frozen=True)
class FileRef:
    """`open('README.txt').read()` seen statically: the text of a project file."""

    path: str


@dataclass
class SetupCall:
    keywords: dict[str, Any]
    lines: dict[str, int]  #: keyword -> line of setup.py that gives it
    static: bool


class _NotStatic(Exception):
    pass


def read_setup_py(root: Path) -> SetupCall:
    """The recorded `setup()` keywords of `root/setup.py`."""
    path = root / SETUP_PY
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"cannot be read: {exc}", file=SETUP_PY) from None
    try:
        tree = ast.parse(text, filename=SETUP_PY)
    except SyntaxError as exc:
        raise BuildError(f"is not valid Python: {exc.msg}", file=SETUP_PY, field=f"line {exc.lineno}") from None
    static = _static_call(tree)
    if static is not None:
        return static
    return _run(root)


def _setup_calls(tree: ast.AST) -> list[ast.Call]:
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name == "setup":
                calls.append(node)
    return calls


def _static_call(tree: ast.Module) -> SetupCall | None:
    """The keywords when setup.py is a plain call with literal values, else None."""
    calls = _setup_calls(tree)
    if len(calls) != 1 or calls[0].args:
        return None
    if not all(_is_plain(node, calls[0]) for node in tree.body):
        return None  # assignments, loops, other calls: the file computes something, run it
    keywords, lines = {}, {}
    try:
        for keyword in calls[0].keywords:
            if keyword.arg is None:
                return None
            keywords[keyword.arg] = _literal(keyword.value)
            lines[keyword.arg] = keyword.lineno
    except _NotStatic:
        return None
    return SetupCall(keywords, lines, static=True)


def _is_plain(node: ast.stmt, call: ast.Call) -> bool:
    """Imports, a docstring, the setup() call, or `if __name__ == "__main__":` around it."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, ast.Expr):
        return node.value is call or isinstance(node.value, ast.Constant)
    if isinstance(node, ast.If) and not node.orelse and isinstance(node.test, ast.Compare):
        names = [n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)]
        return names == ["__name__"] and all(_is_plain(child, call) for child in node.body)
    return False


def _literal(node: ast.AST) -> Any:
    """A literal value, or `open('FILE').read()` as a FileRef."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "read" \
            and not node.args and isinstance(node.func.value, ast.Call):
        opener = node.func.value
        name = opener.func.id if isinstance(opener.func, ast.Name) else None
        if name == "open" and opener.args and isinstance(opener.args[0], ast.Constant) \
                and isinstance(opener.args[0].value, str):
            return FileRef(opener.args[0].value)
        raise _NotStatic
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise _NotStatic
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_literal(v) for v in node.elts]
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise _NotStatic from None


def _timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def _run(root: Path) -> SetupCall:
    """Run setup.py with the recording stand-ins; errors name the line of setup.py."""
    timeout = _timeout()
    with tempfile.TemporaryDirectory(prefix="shipyard-setup-") as tmp:
        result_path = Path(tmp) / "setup-call.json"
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONUTF8="1")
        try:
            proc = subprocess.run(
                [sys.executable, str(RUNNER), str(root), str(result_path), str(timeout)],
                cwd=root, env=env, capture_output=True, text=True, timeout=timeout + 10,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise BuildError(f"did not finish within {timeout:g} s (does it loop or wait for input?)",
                             file=SETUP_PY) from None
        if not result_path.is_file():
            lines = [int(m["line"]) for m in FAULT_LINE_RE.finditer(proc.stderr)
                     if os.path.basename(m["file"]) == SETUP_PY]
            if "Timeout" in proc.stderr:
                where = f"line {lines[0]}" if lines else None
                raise BuildError(f"did not finish within {timeout:g} s (does it loop or wait for input?)",
                                 file=SETUP_PY, field=where)
            tail = proc.stderr.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
            raise BuildError(f"could not be run: {tail[0]}", file=SETUP_PY)
        result = json.loads(result_path.read_text(encoding="utf-8"))
    line = result.get("line")
    if "error" in result:
        raise BuildError(result["error"], file=SETUP_PY, field=f"line {line}" if line else None)
    keywords = result["keywords"]
    return SetupCall(keywords, {k: line for k in keywords}, static=False)
