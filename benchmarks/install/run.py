"""Benchmark: `shipyard install` vs `pip install` vs `uv pip install`, same packages, fresh venvs.

Each round creates a fresh venv per tool and installs the same requirements from PyPI, once
with an empty cache ("cold") and once with the cache the cold run filled ("warm"). Tools run
interleaved, round after round, so network and machine noise hit them alike. It prints
medians and ratios and asserts nothing.

pip compiles bytecode by default; uv and shipyard do not (pass --pip-no-compile to compare
like with like). Usage:

    .venv/bin/python benchmarks/install/run.py [--rounds 5] [--packages flask requests rich]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

PY = Path(sys.executable)
PYPI = "https://pypi.org/simple/"


def command(tool: str, target: Path, cache: Path, packages: list[str], pip_no_compile: bool) -> tuple[list[str], dict]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", UV_NO_CONFIG="1")
    python = str(target / "bin" / "python")
    if tool == "shipyard":
        env["SHIPYARD_CACHE_DIR"] = str(cache)
        return [str(PY), "-m", "shipyard", "install", "-q", "--index-url", PYPI, "--python", python, *packages], env
    if tool == "pip":
        extra = ["--no-compile"] if pip_no_compile else []
        return [str(PY), "-m", "pip", "--python", python, "install", "-q", "--cache-dir", str(cache),
                "--index-url", PYPI, *extra, *packages], env
    uv = PY.parent / "uv"
    return [str(uv), "pip", "install", "-q", "--cache-dir", str(cache), "--index-url", PYPI, "--python", python,
            *packages], env


def timed(tool: str, work: Path, cache: Path, packages: list[str], pip_no_compile: bool) -> float:
    target = work / f"venv-{tool}"
    shutil.rmtree(target, ignore_errors=True)
    venv.create(target, with_pip=False, symlinks=True)
    args, env = command(tool, target, cache, packages, pip_no_compile)
    start = time.perf_counter()
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{tool} failed:\n{result.stdout}\n{result.stderr}")
    shutil.rmtree(target)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--packages", nargs="+", default=["flask", "requests", "rich"])
    parser.add_argument("--tools", nargs="+", default=["shipyard", "pip", "uv"])
    parser.add_argument("--pip-no-compile", action="store_true")
    args = parser.parse_args()
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-install-") as tmp:
        work = Path(tmp)
        for round_number in range(args.rounds):
            for tool in args.tools:
                cache = work / f"cache-{tool}-{round_number}"
                for phase in ("cold", "warm"):  # warm reuses the cache the cold run just filled
                    seconds = timed(tool, work, cache, args.packages, args.pip_no_compile)
                    times.setdefault((tool, phase), []).append(seconds)
                    print(f"round {round_number + 1} {tool:8} {phase}: {seconds:.2f} s", file=sys.stderr)
                shutil.rmtree(cache, ignore_errors=True)
    print(f"\nshipyard install vs pip vs uv: {' '.join(args.packages)} from PyPI into fresh venvs, "
          f"{args.rounds} rounds, medians (Python {sys.version.split()[0]})\n")
    print(f"| {'tool':8} | {'cold s':>7} | {'warm s':>7} | {'cold vs shipyard':>16} | {'warm vs shipyard':>16} |")
    print(f"|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 18}|{'-' * 18}|")
    median = {key: statistics.median(values) for key, values in times.items()}
    for tool in args.tools:
        cold, warm = median[(tool, "cold")], median[(tool, "warm")]
        ratio = lambda phase, value: (f"{value / median[('shipyard', phase)]:.2f}x"
                                      if ("shipyard", phase) in median else "-")
        print(f"| {tool:8} | {cold:7.2f} | {warm:7.2f} | {ratio('cold', cold):>16} | {ratio('warm', warm):>16} |")


if __name__ == "__main__":
    main()
