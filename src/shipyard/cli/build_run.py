"""`shipyard build` without click: the build and its report, and a parser for the plain
invocations (`[DIR] [-o OUT] [--sdist] [--wheel] [--json]`), so that building a small
project does not wait for click to import. Anything else goes through `shipyard.cli.build`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024:.1f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def run(directory: Path, outdir: Path | None, sdist: bool, wheel: bool, as_json: bool,
        index_url: str | None = None) -> None:
    """Build and print what was made (human lines on stdout, details on stderr, or JSON)."""
    from shipyard.frontend import build

    start = time.perf_counter()
    report = (lambda message: None) if as_json else (lambda message: print(message, file=sys.stderr))
    result = build(directory, outdir, sdist=sdist, wheel=wheel, index_url=index_url, report=report)
    seconds = time.perf_counter() - start
    if as_json:
        import json

        print(json.dumps({
            "sdist": str(result.sdist) if result.sdist else None,
            "wheel": str(result.wheel) if result.wheel else None,
            "backend": result.backend, "notes": result.notes, "seconds": round(seconds, 4),
        }, indent=2))
        return
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    cwd = Path.cwd()
    for path in (p for p in (result.sdist, result.wheel) if p is not None):
        shown = path.relative_to(cwd) if path.is_relative_to(cwd) else path
        print(f"Built {shown} ({_size(path)})")
    print(f"with {result.backend} in {seconds:.2f} s", file=sys.stderr)


def fast(args: list[str]) -> int | None:
    """Run a plain `shipyard build ...`; None when the arguments need click (help, errors, ...)."""
    directory, outdir, flags = None, None, set()
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg in ("-o", "--outdir") and rest and not rest[0].startswith("-"):
            outdir = Path(rest.pop(0))
        elif arg.startswith("--outdir="):
            outdir = Path(arg.split("=", 1)[1])
        elif arg in ("--sdist", "--wheel", "--json"):
            flags.add(arg)
        elif not arg.startswith("-") and directory is None:
            directory = Path(arg)
        else:
            return None
    directory = directory or Path(".")
    if not directory.is_dir() or (outdir is not None and outdir.exists() and not outdir.is_dir()):
        return None  # click says what is wrong with them
    from shipyard_core.errors import ShipyardError

    sdist = "--sdist" in flags or "--wheel" not in flags
    wheel = "--wheel" in flags or "--sdist" not in flags
    try:
        run(directory, outdir, sdist, wheel, "--json" in flags)
    except ShipyardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
