"""The README's main job: the seed's packaging workflow, run by shipyard, step by step.

`python -m shipyard.demo` prints each step with its result and time and stops with exit
code 1 at the first step that fails, saying which.
"""

from __future__ import annotations

import shutil
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class StepFailed(Exception):
    pass


def run_steps(steps: list[tuple[str, Callable[[], str]]]) -> int:
    total = time.perf_counter()
    for number, (title, action) in enumerate(steps, 1):
        print(f"[{number}/{len(steps)}] {title}", flush=True)
        start = time.perf_counter()
        try:
            detail = action()
        except Exception as exc:  # any failure ends the job, named
            print(f"      FAILED after {time.perf_counter() - start:.2f} s: {exc}", flush=True)
            print(f"main job failed at step {number}: {title}", file=sys.stderr)
            return 1
        for line in detail.splitlines():
            print(f"      {line}")
        print(f"      ok ({time.perf_counter() - start:.2f} s)", flush=True)
    print(f"all {len(steps)} steps passed in {time.perf_counter() - total:.2f} s")
    return 0


def _contents(path: Path) -> list[str]:
    if path.suffix == ".whl":
        return zipfile.ZipFile(path).namelist()
    return tarfile.open(path).getnames()


def build_example(project: Path, out: Path) -> str:
    from shipyard.frontend import build

    result = build(project, out)
    lines = [f"note: {note}" for note in result.notes]
    for path in (result.sdist, result.wheel):
        lines.append(f"{path.name} ({path.stat().st_size} bytes):")
        lines += [f"  {name}" for name in _contents(path)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    projects = sorted(p for p in EXAMPLES.iterdir() if p.is_dir()) if EXAMPLES.is_dir() else []
    if not projects:
        print(f"no example projects under {EXAMPLES}", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="shipyard-demo-"))
    try:
        steps = [(f"build examples/{p.name} (sdist + wheel)",
                  lambda p=p: build_example(p, work / p.name)) for p in projects]
        return run_steps(steps)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
