"""Read what the dynamic loader reads from an ELF file: DT_NEEDED, DT_RPATH, DT_RUNPATH."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

DT_NEEDED, DT_STRTAB, DT_RPATH, DT_RUNPATH = 1, 5, 15, 29
PT_LOAD, PT_DYNAMIC = 1, 2


@dataclass(frozen=True)
class DynamicInfo:
    needed: tuple[str, ...]
    rpath: tuple[str, ...]
    runpath: tuple[str, ...]


def is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def read_dynamic(path: Path) -> DynamicInfo:
    """The dynamic-section entries of an ELF shared object or executable."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF":
        raise ValueError(f"{path} is not an ELF file")
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        phoff, = struct.unpack_from(end + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x36)
        ph_fmt, dyn_fmt = end + "IIQQQQQQ", end + "qQ"
    else:
        phoff, = struct.unpack_from(end + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x2A)
        ph_fmt, dyn_fmt = end + "IIIIIIII", end + "iI"
    loads: list[tuple[int, int, int]] = []
    dynamic: tuple[int, int] | None = None
    for i in range(phnum):
        fields = struct.unpack_from(ph_fmt, data, phoff + i * phentsize)
        if is64:
            p_type, _, p_offset, p_vaddr, _, p_filesz = fields[:6]
        else:
            p_type, p_offset, p_vaddr, _, p_filesz = fields[:5]
        if p_type == PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == PT_DYNAMIC:
            dynamic = (p_offset, p_filesz)
    if dynamic is None:
        return DynamicInfo((), (), ())
    entries: list[tuple[int, int]] = []
    size = struct.calcsize(dyn_fmt)
    for pos in range(dynamic[0], dynamic[0] + dynamic[1], size):
        tag, value = struct.unpack_from(dyn_fmt, data, pos)
        if tag == 0:
            break
        entries.append((tag, value))
    strtab = next((v for t, v in entries if t == DT_STRTAB), None)
    if strtab is None:
        return DynamicInfo((), (), ())
    base = next((off + strtab - vaddr for vaddr, off, sz in loads if vaddr <= strtab < vaddr + sz), strtab)

    def string(offset: int) -> str:
        start = base + offset
        return data[start:data.index(b"\0", start)].decode("utf-8", "surrogateescape")

    def paths(tag: int) -> tuple[str, ...]:
        return tuple(p for t, v in entries if t == tag for p in string(v).split(":") if p)

    needed = tuple(string(v) for t, v in entries if t == DT_NEEDED)
    return DynamicInfo(needed, paths(DT_RPATH), paths(DT_RUNPATH))


NAME_STRING = re.compile(rb"(?<=\0)[A-Za-z_][A-Za-z0-9_.]{1,79}(?=\0)")


def strings(path: Path) -> set[str]:
    """NUL-terminated identifier-like strings of a file (to spot modules that C code imports)."""
    return {m.decode() for m in NAME_STRING.findall(path.read_bytes())}
