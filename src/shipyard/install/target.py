"""The environment packages go into: its interpreter's tags, markers and install scheme.

All facts about the target come from running the target interpreter once (it needs no
packages of its own: `packaging` is lent to it on `sys.path`), never from the interpreter
shipyard runs on.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import packaging
from packaging.tags import Tag, parse_tag
from shipyard_core.errors import ShipyardError

PROBE = """\
import json, sys, sysconfig
sys.path.append(sys.argv[1])
from packaging import markers, tags
print(json.dumps({
    "executable": sys.executable,
    "prefix": sys.prefix,
    "venv": sys.prefix != sys.base_prefix,
    "tags": [str(t) for t in tags.sys_tags()],
    "markers": markers.default_environment(),
    "paths": sysconfig.get_paths(),
}))
"""

@dataclass(frozen=True)
class Target:
    """Where and for which interpreter to install."""

    python: Path
    tags: tuple[Tag, ...]
    markers: dict[str, str]
    scheme: dict[str, str]

    @property
    def python_version(self) -> str:
        return self.markers["python_full_version"]

    @property
    def site_dirs(self) -> list[Path]:
        """The folders that hold installed distributions (purelib, platlib; no duplicates)."""
        seen: dict[Path, Path] = {}
        for key in ("purelib", "platlib"):
            path = Path(self.scheme[key])
            seen.setdefault(path.resolve() if path.exists() else path, path)
        return list(seen.values())

    def tag_priority(self) -> dict[Tag, int]:
        """Tag -> rank (0 is the most specific the interpreter accepts)."""
        return {tag: rank for rank, tag in enumerate(self.tags)}


def find_python(python: str | os.PathLike | None) -> Path:
    """The interpreter to install for: `python` (a file or an environment folder), else $VIRTUAL_ENV's."""
    if python is None:
        env = os.environ.get("VIRTUAL_ENV")
        if not env:
            raise ShipyardError("no virtual environment is active; activate one or pass --python PATH "
                                "(an interpreter or an environment folder), or --target DIR")
        python = env
    path = Path(python)
    if path.is_dir():
        for candidate in (path / "bin" / "python", path / "Scripts" / "python.exe"):
            if candidate.exists():
                return candidate
        raise ShipyardError("no bin/python in this folder; expected a virtual environment", file=path)
    if not path.exists():
        raise ShipyardError("no such interpreter", file=path)
    return path


def _fingerprint(interpreter: Path) -> str:
    """Changes when the interpreter, its venv configuration or shipyard's packaging change."""
    parts = [str(interpreter.absolute()), packaging.__version__, PROBE]
    real = interpreter.resolve()
    stat = real.stat()
    parts += [str(real), str(stat.st_mtime_ns), str(stat.st_size)]
    config = interpreter.parent.parent / "pyvenv.cfg"
    if config.exists():
        parts.append(config.read_text(errors="replace"))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _describe(interpreter: Path) -> dict:
    """The probe's answer, cached per interpreter fingerprint (it costs a process start)."""
    from shipyard.install import cache

    saved = cache.root() / "interpreters" / f"{_fingerprint(interpreter)}.json"
    if saved.exists():
        return json.loads(saved.read_text())
    lend = str(Path(packaging.__file__).parent.parent)
    try:
        result = subprocess.run([str(interpreter), "-I", "-c", PROBE, lend], capture_output=True, text=True, timeout=60,
                                check=False)
    except OSError as exc:
        raise ShipyardError(f"cannot run this interpreter: {exc}", file=interpreter) from None
    if result.returncode != 0:
        raise ShipyardError(f"this interpreter failed to describe itself:\n{result.stderr.strip()}", file=interpreter)
    temporary = cache.temporary_file(saved)
    temporary.write_text(result.stdout)
    cache.store(temporary, saved)
    return json.loads(result.stdout)


def probe(python: str | os.PathLike | None = None, target_dir: str | os.PathLike | None = None,
          break_system_packages: bool = False) -> Target:
    """Ask the interpreter for its tags, marker environment and install paths.

    A Python that its system manages (PEP 668 `EXTERNALLY-MANAGED`, outside a venv) is refused
    unless `break_system_packages`.
    """
    interpreter = Path(sys.executable) if python is None and target_dir is not None else find_python(python)
    facts = _describe(interpreter)
    managed = Path(facts["paths"]["stdlib"]) / "EXTERNALLY-MANAGED"
    if target_dir is None and not facts["venv"] and managed.exists() and not break_system_packages:
        raise ShipyardError(f"{interpreter} belongs to the operating system (PEP 668: {managed}); install into "
                            "a virtual environment (python -m venv .venv), or pass --break-system-packages")
    tags = tuple(tag for text in facts["tags"] for tag in parse_tag(text))
    if target_dir is not None:
        root = Path(target_dir).absolute()
        scheme = {"purelib": str(root), "platlib": str(root), "headers": str(root / "include"),
                  "scripts": str(root / "bin"), "data": str(root)}
    else:
        scheme = {key: facts["paths"][key] for key in ("purelib", "platlib", "scripts", "data")}
        scheme["headers"] = facts["paths"].get("include", str(Path(facts["prefix"]) / "include"))
    # Scripts run with the interpreter as it was named (a venv's bin/python), not its resolved target.
    return Target(python=Path(os.path.abspath(interpreter)), tags=tags, markers=facts["markers"], scheme=scheme)
