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

IMPORT_NAME = dis.opmap["IMPORT_NAME"]
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
    """Top-level names of absolute imports anywhere in `code` (nested functions included)."""
    found: set[str] = set()
    stack = [code]
    while stack:
        co = stack.pop()
        consts: list[object] = []
        for ins in dis.get_instructions(co):
            if ins.opname == "LOAD_CONST":
                consts.append(ins.argval)
            elif ins.opcode == IMPORT_NAME:
                level = consts[-2] if len(consts) >= 2 else 0
                if level == 0 and ins.argval:
                    found.add(ins.argval.split(".")[0])
            elif ins.opname not in ("CACHE", "EXTENDED_ARG", "NOP"):
                consts.clear()
        stack.extend(c for c in co.co_consts if isinstance(c, CodeType))
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
