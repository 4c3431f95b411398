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
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

from shipyard.freeze.cache import build_cache

IMPORT_NAME, LOAD_CONST = dis.opmap["IMPORT_NAME"], dis.opmap["LOAD_CONST"]
EXTENDED_ARG, CACHE = dis.opmap["EXTENDED_ARG"], dis.opmap.get("CACHE", -1)
LOAD_NAME, COMPARE_OP = dis.opmap["LOAD_NAME"], dis.opmap["COMPARE_OP"]
JUMP_IF_FALSE = dis.opmap.get("POP_JUMP_FORWARD_IF_FALSE", dis.opmap.get("POP_JUMP_IF_FALSE"))
MARSHAL_VERSION = 2
PARALLEL_THRESHOLD = 64  # below this many cache misses, worker processes cost more than they save


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


def _cache_key(source: bytes, filename: str, optimize: int) -> str:
    header = b"scan3\0%d\0%d\0%s\0%s\0" % (MARSHAL_VERSION, optimize, importlib.util.MAGIC_NUMBER,
                                            filename.encode("utf-8", "surrogateescape"))
    return hashlib.sha256(header + source).hexdigest()


def _cached(key: str) -> Compiled | None:
    try:
        meta, pyc = (_cache_dir() / key[:2] / key).read_bytes().split(b"\0", 1)
        return Compiled(pyc, frozenset((lv, n, tuple(f)) for lv, n, f in json.loads(meta)))
    except (OSError, ValueError):
        return None


def _store(key: str, result: Compiled) -> None:
    cached = _cache_dir() / key[:2] / key
    cached.parent.mkdir(exist_ok=True)
    tmp = cached.with_name(f"{key}.{os.getpid()}.tmp")
    tmp.write_bytes(json.dumps(sorted(result.imports)).encode() + b"\0" + result.pyc)
    os.replace(tmp, cached)


def _compile(job: tuple[bytes, str, int]) -> Compiled:
    source, filename, optimize = job
    code = compile_code(source, filename, optimize)
    return Compiled(pyc_from_code(code, source), frozenset(imported_names(code)))


def _compile_or_none(job: tuple[bytes, str, int]) -> Compiled | None:
    try:
        return _compile(job)
    except (SyntaxError, ValueError):
        return None


def compile_module(source: bytes, filename: str, optimize: int) -> Compiled:
    """Compile (or fetch from the cache) one module; raises SyntaxError/ValueError."""
    key = _cache_key(source, filename, optimize)
    result = _cached(key)
    if result is None:
        result = _compile((source, filename, optimize))
        _store(key, result)
    return result


def compile_many(jobs: list[tuple[bytes, str]], optimize: int) -> list[Compiled | None]:
    """`compile_module` for many (source, filename) pairs; None where a source does not compile.

    What the cache lacks is compiled in worker processes when there is enough of it.
    """
    keys = [_cache_key(source, filename, optimize) for source, filename in jobs]
    results = [_cached(key) for key in keys]
    missing = [i for i, r in enumerate(results) if r is None]
    work = [(jobs[i][0], jobs[i][1], optimize) for i in missing]
    workers = min(os.cpu_count() or 1, 8)
    if len(work) >= PARALLEL_THRESHOLD and workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            compiled = list(pool.map(_compile_or_none, work, chunksize=16))
    else:
        compiled = [_compile_or_none(job) for job in work]
    for i, result in zip(missing, compiled, strict=True):
        results[i] = result
        if result is not None:
            _store(keys[i], result)
    return results
