"""Ahead-of-time bytecode: compile sources into deterministic .pyc files, and find their imports.

Results are cached by a hash of the source, the display path and the optimization level,
so rebuilding a bundle recompiles only what changed.
"""

from __future__ import annotations

import dis
import hashlib
import importlib.util
import json
import marshal
import os
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

from shipyard.freeze.cache import build_cache

IMPORT_NAME, LOAD_CONST = dis.opmap["IMPORT_NAME"], dis.opmap["LOAD_CONST"]
EXTENDED_ARG, CACHE = dis.opmap["EXTENDED_ARG"], dis.opmap.get("CACHE", -1)
LOAD_NAME, COMPARE_OP = dis.opmap["LOAD_NAME"], dis.opmap["COMPARE_OP"]
JUMP_IF_FALSE = dis.opmap.get("POP_JUMP_FORWARD_IF_FALSE", dis.opmap.get("POP_JUMP_IF_FALSE"))
MARSHAL_VERSION = 2


Import = tuple[int, str, tuple[str, ...]]


@dataclass(frozen=True)
class Compiled:
    """A module's bytecode file and the imports its code makes: (level, name, fromlist)."""

    pyc: bytes
    imports: frozenset[Import]


def compile_code(source: bytes, filename: str, optimize: int) -> CodeType:
    """Compile module source; raises SyntaxError (and ValueError for NUL bytes)."""
    return compile(source, filename, "exec", dont_inherit=True, optimize=optimize)


def pyc_from_code(code: CodeType, source: bytes) -> bytes:
    """An unchecked-hash .pyc: Python loads it without looking at the source (PEP 552).

    Marshal format 2 has no back-references; later formats emit them depending on the
    reference counts in the compiling process, which would make rebuilds differ.
    """
    header = importlib.util.MAGIC_NUMBER + (0b01).to_bytes(4, "little")
    return header + importlib.util.source_hash(source) + marshal.dumps(code, MARSHAL_VERSION)


def imported_names(code: CodeType) -> set[Import]:
    """Every import statement in `code` (nested functions included) as (level, name, fromlist).

    Reads the raw bytecode: an import is LOAD_CONST level, LOAD_CONST fromlist, IMPORT_NAME.
    Imports under a module-level `if __name__ == "__main__":` (self-tests, demos) are skipped.
    """
    found: set[Import] = set()
    stack = [code]
    while stack:
        co = stack.pop()
        raw, consts, names = co.co_code, co.co_consts, co.co_names
        ext, recent, previous, skip_until = 0, [], [(0, 0)] * 3, 0
        for i in range(0, len(raw), 2):
            op, arg = raw[i], raw[i + 1] | ext
            if op == EXTENDED_ARG:
                ext = arg << 8
                continue
            ext = 0
            if op == CACHE:
                continue
            if op == LOAD_CONST:
                recent = [recent[-1], consts[arg]] if recent else [consts[arg]]
            elif op == IMPORT_NAME:
                if i >= skip_until and len(recent) == 2 and isinstance(recent[0], int):
                    fromlist = recent[1] if isinstance(recent[1], tuple) else ()
                    found.add((recent[0], names[arg], tuple(str(f) for f in fromlist)))
                recent = []
            else:
                recent = []
                if op == JUMP_IF_FALSE and _is_main_test(previous, co):
                    skip_until = i + 2 + 2 * arg
            previous = [previous[1], previous[2], (op, arg)]
        stack.extend(c for c in consts if isinstance(c, CodeType))
    return found


def absolute(imports: frozenset[Import] | set[Import], module: str, is_package: bool) -> set[str]:
    """Absolute dotted names that `module`'s imports may load (parents and fromlist items included)."""
    package = module if is_package else module.rpartition(".")[0]
    out: set[str] = set()
    for level, name, fromlist in imports:
        if level:
            parts = package.split(".") if package else []
            if level - 1 > len(parts) or not parts:
                continue
            base = ".".join(parts[: len(parts) - (level - 1)])
            base = f"{base}.{name}" if name else base
        else:
            base = name
        pieces = base.split(".")
        out.update(".".join(pieces[:i]) for i in range(1, len(pieces) + 1))
        out.update(f"{base}.{item}" for item in fromlist if item != "*")
    return out


def _is_main_test(previous: list[tuple[int, int]], co: CodeType) -> bool:
    """Do the last three instructions compute `__name__ == "__main__"` at module level?"""
    (op1, arg1), (op2, arg2), (op3, _) = previous
    return (op1 == LOAD_NAME and co.co_names[arg1] == "__name__" and op2 == LOAD_CONST
            and co.co_consts[arg2] == "__main__" and op3 == COMPARE_OP)


def _cache_dir() -> Path:
    path = build_cache() / "pyc"
    path.mkdir(exist_ok=True)
    return path


def compile_module(source: bytes, filename: str, optimize: int) -> Compiled:
    """Compile (or fetch from the cache) one module; raises SyntaxError/ValueError."""
    header = b"scan3\0%d\0%d\0%s\0%s\0" % (MARSHAL_VERSION, optimize, importlib.util.MAGIC_NUMBER,
                                            filename.encode("utf-8", "surrogateescape"))
    key = hashlib.sha256(header + source).hexdigest()
    cached = _cache_dir() / key[:2] / key
    try:
        meta, pyc = cached.read_bytes().split(b"\0", 1)
        return Compiled(pyc, frozenset((lv, n, tuple(f)) for lv, n, f in json.loads(meta)))
    except (OSError, ValueError):
        pass
    code = compile_code(source, filename, optimize)
    result = Compiled(pyc_from_code(code, source), frozenset(imported_names(code)))
    cached.parent.mkdir(exist_ok=True)
    tmp = cached.with_name(f"{key}.{os.getpid()}.tmp")
    tmp.write_bytes(json.dumps(sorted(result.imports)).encode() + b"\0" + result.pyc)
    os.replace(tmp, cached)
    return result
