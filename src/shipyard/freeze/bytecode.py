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
MARSHAL_VERSION = 2


@dataclass(frozen=True)
class Compiled:
    """A module's bytecode file and the absolute top-level module names its code imports."""

    pyc: bytes
    imports: frozenset[str]


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


def imported_names(code: CodeType) -> set[str]:
    """Top-level names of absolute imports anywhere in `code` (nested functions included).

    Reads the raw bytecode: an import is LOAD_CONST level, LOAD_CONST fromlist, IMPORT_NAME.
    """
    found: set[str] = set()
    stack = [code]
    while stack:
        co = stack.pop()
        raw, consts, names = co.co_code, co.co_consts, co.co_names
        ext, recent = 0, []
        for i in range(0, len(raw), 2):
            op, arg = raw[i], raw[i + 1] | ext
            if op == EXTENDED_ARG:
                ext = arg << 8
                continue
            ext = 0
            if op == LOAD_CONST:
                recent = [recent[-1], consts[arg]] if recent else [consts[arg]]
            elif op == IMPORT_NAME:
                if len(recent) == 2 and recent[0] == 0 and names[arg]:
                    found.add(names[arg].split(".")[0])
                recent = []
            elif op != CACHE:
                recent = []
        stack.extend(c for c in consts if isinstance(c, CodeType))
    return found


def _cache_dir() -> Path:
    path = build_cache() / "pyc"
    path.mkdir(exist_ok=True)
    return path


def compile_module(source: bytes, filename: str, optimize: int) -> Compiled:
    """Compile (or fetch from the cache) one module; raises SyntaxError/ValueError."""
    key = hashlib.sha256(b"%d\0%d\0%s\0%s\0" % (MARSHAL_VERSION, optimize, filename.encode("utf-8", "surrogateescape"),
                                             importlib.util.MAGIC_NUMBER) + source).hexdigest()
    cached = _cache_dir() / key[:2] / key
    try:
        meta, pyc = cached.read_bytes().split(b"\0", 1)
        return Compiled(pyc, frozenset(json.loads(meta)))
    except (OSError, ValueError):
        pass
    code = compile_code(source, filename, optimize)
    result = Compiled(pyc_from_code(code, source), frozenset(imported_names(code)))
    cached.parent.mkdir(exist_ok=True)
    tmp = cached.with_name(f"{key}.{os.getpid()}.tmp")
    tmp.write_bytes(json.dumps(sorted(result.imports)).encode() + b"\0" + result.pyc)
    os.replace(tmp, cached)
    return result
