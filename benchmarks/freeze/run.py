"""Benchmark `shipyard freeze` against PyInstaller and cx_Freeze (a script, not a test).

    .venv/bin/python benchmarks/freeze/run.py [--rounds 3] [--starts 15] [--apps hello,clitool]

For each app (hello world; a click + rich + requests CLI) and each tool (shipyard onefile
and onedir, PyInstaller onefile and onedir, cx_Freeze one folder) it measures build time,
output size, first-run time (one-file caches emptied) and warm start time, with
`python3 app.py` (the interpreter shipyard runs on) as the floor. Tools are interleaved
round by round and medians are printed with ratios; it also checks byte-identical rebuilds.
Needs `pip install pyinstaller cx_Freeze click rich requests`; a tool that is missing is skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
APPS = HERE / "apps"
BIN = Path(sys.executable).parent


@dataclass
class Tool:
    name: str
    onefile: bool
    builds: list[float] = field(default_factory=list)
    firsts: list[float] = field(default_factory=list)
    warms: list[float] = field(default_factory=list)
    size: int = 0
    digests: set[str] = field(default_factory=set)
    failed: str = ""


def shipyard_cmd(app: Path, out: Path, onefile: bool) -> tuple[list[str], Path]:
    mode = "--onefile" if onefile else "--onedir"
    exe = out / app.stem if onefile else out / app.stem / app.stem
    return [sys.executable, "-m", "shipyard", "freeze", str(app), mode, "-o", str(out)], exe


def pyinstaller_cmd(app: Path, out: Path, onefile: bool) -> tuple[list[str], Path]:
    mode = "--onefile" if onefile else "--onedir"
    exe = out / "dist" / app.stem if onefile else out / "dist" / app.stem / app.stem
    return [str(BIN / "pyinstaller"), "--noconfirm", "--log-level", "ERROR", mode, "--distpath",
            str(out / "dist"), "--workpath", str(out / "build"), "--specpath", str(out), str(app)], exe


def cxfreeze_cmd(app: Path, out: Path, onefile: bool) -> tuple[list[str], Path]:
    return [str(BIN / "cxfreeze"), "--script", str(app), "--target-dir", str(out / "dist"), "--silent"], \
        out / "dist" / app.stem


TOOLS = {
    "shipyard onefile": (shipyard_cmd, True),
    "shipyard onedir": (shipyard_cmd, False),
    "pyinstaller onefile": (pyinstaller_cmd, True),
    "pyinstaller onedir": (pyinstaller_cmd, False),
    "cx_Freeze (folder)": (cxfreeze_cmd, False),
}


def available(tool: str) -> bool:
    command = {"pyinstaller": "pyinstaller", "cx_Freeze": "cxfreeze"}.get(tool.split()[0])
    return command is None or (BIN / command).exists()


def size_of(exe: Path, onefile: bool) -> int:
    if onefile:
        return exe.stat().st_size
    return sum(f.stat().st_size for f in exe.parent.rglob("*") if f.is_file() and not f.is_symlink())


def digest(exe: Path, onefile: bool) -> str:
    h = hashlib.sha256()
    files = [exe] if onefile else sorted(f for f in exe.parent.rglob("*") if f.is_file())
    for f in files:
        h.update(f.relative_to(exe.parent).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def timed(cmd: list, env: dict | None = None, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode(errors="replace")[-800:])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="builds per tool and app")
    parser.add_argument("--starts", type=int, default=15, help="warm starts per tool and app")
    parser.add_argument("--apps", default="hello,clitool")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="freeze-bench-"))
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull}
    try:
        for app_name in args.apps.split(","):
            app = APPS / f"{app_name}.py"
            tools = {name: Tool(name, onefile) for name, (_, onefile) in TOOLS.items() if available(name)}
            exes: dict[str, Path] = {}
            for rnd in range(args.rounds):           # builds, interleaved
                for name, tool in tools.items():
                    if tool.failed:
                        continue
                    out = work / app_name / f"{name.replace(' ', '-')}-{rnd}"
                    cmd, exe = TOOLS[name][0](app, out, tool.onefile)
                    try:
                        tool.builds.append(timed(cmd, env=env, cwd=out.parent if out.parent.exists() else None))
                    except RuntimeError as exc:
                        tool.failed = str(exc).strip().splitlines()[-1] if str(exc).strip() else "build failed"
                        continue
                    exes[name] = exe
                    tool.size = size_of(exe, tool.onefile)
                    tool.digests.add(digest(exe, tool.onefile))
            floor: list[float] = []
            for _ in range(args.starts):             # first runs and warm starts, interleaved
                floor.append(timed([sys.executable, str(app)]))
                for name, tool in tools.items():
                    if tool.failed:
                        continue
                    cache = Path(tempfile.mkdtemp(dir=work))
                    run_env = {**os.environ, "SHIPYARD_APP_CACHE": str(cache)}
                    tool.firsts.append(timed([exes[name]], env=run_env))
                    tool.warms.append(timed([exes[name]], env=run_env))
                    shutil.rmtree(cache)
            report(app_name, tools, statistics.median(floor))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(app_name: str, tools: dict[str, Tool], floor: float) -> None:
    cx = tools.get("cx_Freeze (folder)")
    pyi = tools.get("pyinstaller onefile")
    print(f"\n## {app_name}: python3 app.py = {floor * 1000:.1f} ms (the floor)")
    print(f"{'tool':<22}{'build s':>9}{'size MB':>9}{'first ms':>10}{'warm ms':>9}{'warm/py':>9}{'identical':>11}")
    for tool in tools.values():
        if tool.failed:
            print(f"{tool.name:<22} failed: {tool.failed[:80]}")
            continue
        warm = statistics.median(tool.warms)
        print(f"{tool.name:<22}{statistics.median(tool.builds):>9.2f}{tool.size / 1e6:>9.1f}"
              f"{statistics.median(tool.firsts) * 1000:>10.1f}{warm * 1000:>9.1f}{warm / floor:>9.2f}"
              f"{'yes' if len(tool.digests) == 1 else 'no':>11}")
    ours = tools["shipyard onefile"]
    if not ours.failed:
        print(f"shipyard onefile: warm start {statistics.median(ours.warms) / floor:.2f}x python3 (target <= 1.2)")
        if cx and not cx.failed:
            print(f"shipyard onefile build / cx_Freeze build: "
                  f"{statistics.median(ours.builds) / statistics.median(cx.builds):.2f} (target <= 1)")
        if pyi and not pyi.failed:
            print(f"shipyard onefile size / PyInstaller onefile size: {ours.size / pyi.size:.2f} (target <= 1)")


if __name__ == "__main__":
    main()
