"""Benchmark: `shipyard build` against `python -m build` (setuptools, hatchling, flit_core)
and `uv build` (uv_build), sdist + wheel, on the same trees. A script, not a test.

    python benchmarks/build/bench.py [--rounds N] [--trees tiny,django] [--no-isolated]
    python benchmarks/build/bench.py --profile      # where shipyard's time goes on Django

Everything it needs lives in benchmarks/.work/ (git-ignored): a venv with build,
hatchling, flit_core, setuptools, uv and uv-build from PyPI, the pinned Django sdist, and
one copy of each tree per contender, whose pyproject.toml carries the same [project] table
with that contender's [build-system] and tool table. Contenders run interleaved in rounds
(the order rotates each round, after one warm-up round that is not counted); the table
shows medians, and ratios against uv build and against the floor (tarfile + zipfile
writing the same files, one after the other).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORK = Path(os.environ.get("SHIPYARD_BENCH_WORK", REPO / "benchmarks" / ".work"))
VENV = WORK / "venv"
BIN = VENV / "bin"
#: the per-contender trees live outside any git checkout: shipyard-core lists a git
#: checkout's files with `git ls-files`, and benchmarks/.work is git-ignored inside this one
TREES = Path(os.environ.get("SHIPYARD_BENCH_TREES", Path(tempfile.gettempdir()) / "shipyard-bench-build"))
SHIPYARD_PYTHON = REPO / ".venv" / "bin" / "python"
DJANGO_VERSION = "5.2.8"
PINS = ["build==1.6.1", "hatchling==1.33.0", "flit_core==4.2.0", "setuptools==84.2.1", "wheel",
        "uv==0.13.9", "uv-build==0.13.6"]
#: the index is PyPI; this machine's pip.conf names dead extra indexes
PIP_ENV = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
RUN_ENV = {**PIP_ENV, "UV_CACHE_DIR": str(WORK / "uv-cache"), "PYTHONDONTWRITEBYTECODE": "1"}
for key in ("SOURCE_DATE_EPOCH", "VIRTUAL_ENV", "PYTHONPATH"):
    RUN_ENV.pop(key, None)

#: Django's sdist carries these beside django/; the non-default backends are told to include them
DJANGO_EXTRA = ["AUTHORS", "CONTRIBUTING.rst", "Gruntfile.js", "INSTALL", "MANIFEST.in", "package.json",
                "tox.ini", "docs", "extras", "js_tests", "scripts", "tests"]


# --- setup --------------------------------------------------------------------------------------


def sh(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


def ensure_venv() -> None:
    marker = VENV / ".pins"
    if marker.is_file() and marker.read_text() == "\n".join(PINS):
        return
    print(f"creating {VENV} with {', '.join(PINS)}", file=sys.stderr)
    if VENV.exists():
        shutil.rmtree(VENV)
    sh([sys.executable, "-m", "venv", str(VENV)])
    sh([str(BIN / "python"), "-m", "pip", "install", "-q", "-U", "pip"], env=PIP_ENV)
    sh([str(BIN / "python"), "-m", "pip", "install", "-q", *PINS], env=PIP_ENV)
    marker.write_text("\n".join(PINS))


def uv_build_requirement() -> str:
    out = subprocess.run([str(BIN / "python"), "-c", "import importlib.metadata as m; print(m.version('uv-build'))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    major, minor = (int(x) for x in out.split(".")[:2])
    return f"uv_build>={major}.{minor},<{major}.{minor + 1}"


def django_sdist() -> Path:
    target = WORK / "dl" / f"django-{DJANGO_VERSION}.tar.gz"
    if not target.is_file():
        sh([str(BIN / "python"), "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
            f"django=={DJANGO_VERSION}", "-d", str(target.parent)], env=PIP_ENV)
    return target


def pristine_django() -> Path:
    """The sdist unpacked once, minus what its build added (PKG-INFO, egg-info, setup.cfg)."""
    tree = WORK / "src" / f"django-{DJANGO_VERSION}"
    if not (tree / "django" / "__init__.py").is_file():
        shutil.rmtree(tree, ignore_errors=True)
        with tarfile.open(django_sdist()) as tar:
            tar.extractall(tree.parent, filter="data")
        for name in ("PKG-INFO", "setup.cfg"):
            (tree / name).unlink(missing_ok=True)
        shutil.rmtree(tree / "Django.egg-info", ignore_errors=True)
    return tree


def pristine_tiny() -> Path:
    tree = WORK / "src" / "tiny-1.0"
    if not (tree / "tiny" / "__init__.py").is_file():
        (tree / "tiny").mkdir(parents=True, exist_ok=True)
        (tree / "tiny" / "__init__.py").write_text('"""A tiny package."""\n\nfrom tiny.core import greet\n')
        (tree / "tiny" / "core.py").write_text('def greet(name="world"):\n    return f"Hello, {name}!"\n\n\n'
                                               'def main():\n    print(greet())\n')
        (tree / "README.md").write_text("# tiny\n\nA tiny project for the build benchmark.\n")
        (tree / "LICENSE").write_text("MIT License\n\nCopyright (c) 2026 The shipyard developers\n")
    return tree


PROJECT_DJANGO = '''[project]
name = "Django"
version = "{version}"
requires-python = ">= 3.10"
dependencies = ["asgiref>=3.8.1", "sqlparse>=0.3.1", "tzdata; sys_platform == 'win32'"]
authors = [{name = "Django Software Foundation", email = "foundation@djangoproject.com"}]
description = "A high-level Python web framework that encourages rapid development and clean, pragmatic design."
readme = "README.rst"
license = "BSD-3-Clause"
license-files = ["LICENSE", "LICENSE.python"]
classifiers = [
    "Development Status :: 5 - Production/Stable",
    "Framework :: Django",
    "Programming Language :: Python :: 3",
    "Topic :: Internet :: WWW/HTTP",
]

[project.optional-dependencies]
argon2 = ["argon2-cffi>=19.1.0"]
bcrypt = ["bcrypt"]

[project.scripts]
django-admin = "django.core.management:execute_from_command_line"

[project.urls]
Homepage = "https://www.djangoproject.com/"
Source = "https://github.com/django/django"
'''.replace("{version}", DJANGO_VERSION)

PROJECT_TINY = '''[project]
name = "tiny"
version = "1.0"
description = "A tiny project"
readme = "README.md"
requires-python = ">=3.11"
license = "MIT"
license-files = ["LICENSE"]
authors = [{name = "Shipyard", email = "dev@example.org"}]
dependencies = ["packaging>=24"]

[project.scripts]
tiny = "tiny.core:main"
'''


def build_system(contender: str, package: str, extra: list[str]) -> str:
    """[build-system] and tool table of one contender for a flat-layout `package`."""
    globs = json.dumps(extra)
    uv_globs = json.dumps([e + "/**" if "." not in e and e[0].islower() else e for e in extra])
    if contender == "shipyard":
        return f'[build-system]\nrequires = ["shipyard-core"]\nbuild-backend = "shipyard_core.backend"\n\n' \
               f'[tool.shipyard]\npackages = ["{package}"]\n'
    if contender == "setuptools":
        return f'[build-system]\nrequires = ["setuptools>=77.0.3"]\nbuild-backend = "setuptools.build_meta"\n\n' \
               f'[tool.setuptools.packages.find]\ninclude = ["{package}*"]\n'
    if contender.startswith("hatchling"):
        return f'[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n' \
               f'[tool.hatch.build.targets.wheel]\npackages = ["{package}"]\n'
    if contender == "flit_core":
        return f'[build-system]\nrequires = ["flit_core>=3.12"]\nbuild-backend = "flit_core.buildapi"\n\n' \
               f'[tool.flit.module]\nname = "{package}"\n\n[tool.flit.sdist]\ninclude = {globs}\n'
    if contender == "uv":
        return f'[build-system]\nrequires = ["{uv_build_requirement()}"]\nbuild-backend = "uv_build"\n\n' \
               f'[tool.uv.build-backend]\nmodule-name = "{package}"\nmodule-root = ""\n' \
               f'source-include = {uv_globs}\n'
    raise ValueError(contender)


BACKEND_OF = {"shipyard": "shipyard", "shipyard (git checkout)": "shipyard-git", "uv build": "uv", "build setuptools": "setuptools",
              "build hatchling": "hatchling", "build flit_core": "flit_core", "build hatchling isolated": "hatchling"}


def make_trees(name: str, pristine: Path, package: str, project: str, extra: list[str]) -> dict[str, Path]:
    """One copy of the tree per backend (hard links: cheap, and the same page cache)."""
    trees = {}
    for backend in sorted(set(BACKEND_OF.values())):
        tree = TREES / name / backend / pristine.name
        pyproject = build_system(backend.removesuffix("-git"), package, extra) + "\n" + project
        ready = tree.parent / "ready"  # outside the tree, so no backend packs it
        if ready.is_file() and ready.read_text() == pyproject:
            trees[backend] = tree
            continue
        shutil.rmtree(tree.parent, ignore_errors=True)
        shutil.copytree(pristine, tree, copy_function=os.link)
        (tree / "pyproject.toml").unlink(missing_ok=True)
        (tree / "pyproject.toml").write_text(pyproject)
        if backend.endswith("-git"):  # a git checkout with every file tracked: the `git ls-files` path
            sh(["git", "init", "-q"], cwd=tree)
            sh(["git", "add", "-A"], cwd=tree)
        elif any((p / ".git").exists() for p in tree.parents):
            sys.exit(f"{tree} is inside a git checkout: set SHIPYARD_BENCH_TREES to a folder outside one")
        ready.write_text(pyproject)
        trees[backend] = tree
    return trees


# --- running --------------------------------------------------------------------------------------


def commands(tree_of: dict[str, Path], floor_tree: Path, package: str, out: Path) -> dict[str, list[str]]:
    py = str(BIN / "python")
    no_iso = [py, "-m", "build", "--no-isolation", "-o", str(out)]
    return {
        "uv build": [str(BIN / "uv"), "build", "--offline", "--no-progress", "-q", "-o", str(out), str(tree_of["uv"])],
        "shipyard": [str(SHIPYARD_PYTHON), "-m", "shipyard", "build", str(tree_of["shipyard"]), "-o", str(out)],
        "shipyard (git checkout)": [str(SHIPYARD_PYTHON), "-m", "shipyard", "build", str(tree_of["shipyard-git"]),
                                    "-o", str(out)],
        "build setuptools": [*no_iso, str(tree_of["setuptools"])],
        "build hatchling": [*no_iso, str(tree_of["hatchling"])],
        "build flit_core": [*no_iso, str(tree_of["flit_core"])],
        "floor (sequential)": [py, str(HERE / "floor.py"), str(floor_tree), package, str(out)],
        "floor (2 threads)": [py, str(HERE / "floor.py"), str(floor_tree), package, str(out), "--concurrent"],
        "python -c pass": [py, "-c", "pass"],
        "python -c pass (shipyard's venv)": [str(SHIPYARD_PYTHON), "-c", "pass"],
    }


def clean_tree(tree: Path) -> None:
    """Remove what a build left in the source tree (setuptools: build/, *.egg-info)."""
    shutil.rmtree(tree / "build", ignore_errors=True)
    for egg in tree.glob("*.egg-info"):
        shutil.rmtree(egg, ignore_errors=True)


def run_once(name: str, cmd: list[str], out: Path, tree: Path | None) -> tuple[float, dict]:
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if tree is not None:
        clean_tree(tree)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=RUN_ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{name} failed ({proc.returncode}):\n{' '.join(cmd)}\n{proc.stdout.decode(errors='replace')[-3000:]}")
    info = {"cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)}
    for path in out.iterdir():
        info["kB" + (".tar.gz" if path.name.endswith(".tar.gz") else path.suffix)] = round(path.stat().st_size / 1024)
        if path.name.endswith(".tar.gz"):
            with tarfile.open(path) as tar:
                info["sdist"] = sum(1 for m in tar.getmembers() if m.isfile())
        elif path.suffix in (".whl", ".zip"):
            with zipfile.ZipFile(path) as zf:
                info["wheel"] = sum(1 for n in zf.namelist() if not n.endswith("/"))
    return seconds, info


def bench_tree(name: str, pristine: Path, package: str, project: str, extra: list[str], rounds: int,
               isolated: bool) -> list[dict]:
    trees = make_trees(name, pristine, package, project, extra)
    out = WORK / "out" / name
    cmds = commands(trees, trees["shipyard"], package, out)
    names = list(cmds)
    times: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    info: dict[str, dict] = {}
    for r in range(rounds + 1):  # round 0 warms caches and is not counted
        order = names[r % len(names):] + names[: r % len(names)]
        for contender in order:
            tree = trees.get(BACKEND_OF.get(contender, ""))
            seconds, got = run_once(contender, cmds[contender], out, tree)
            if r:
                times[contender].append(seconds)
                cpu[contender].append(got.pop("cpu"))
            got.pop("cpu", None)
            info.setdefault(contender, got)
        if r:
            print(f"  {name} round {r}/{rounds}: " + ", ".join(f"{n} {times[n][-1] * 1000:.0f}" for n in names),
                  file=sys.stderr)
    if isolated:  # once, for orientation: a fresh environment from PyPI, as a user's first build gets
        cmd = [str(BIN / "python"), "-m", "build", "-o", str(out), str(trees["hatchling"])]
        seconds, got = run_once("build hatchling isolated", cmd, out, None)
        times["build hatchling (isolated, 1 run)"] = [seconds]
        cpu["build hatchling (isolated, 1 run)"] = [got.pop("cpu")]
        info["build hatchling (isolated, 1 run)"] = got
    shutil.rmtree(out, ignore_errors=True)
    uv, floor = statistics.median(times["uv build"]), statistics.median(times["floor (sequential)"])
    rows = []
    for contender, values in times.items():
        med = statistics.median(values)
        rows.append({"tree": name, "contender": contender, "median_ms": round(med * 1000, 1),
                     "min_ms": round(min(values) * 1000, 1), "runs": len(values),
                     "cpu_ms": round(statistics.median(cpu[contender]) * 1000, 1),
                     "vs_uv": round(med / uv, 2), "vs_floor": round(med / floor, 2), **info.get(contender, {})})
    return rows


def table(rows: list[dict]) -> str:
    lines = [("| tree | contender | median ms | min ms | vs uv build | vs floor | CPU ms (user+sys) "
              "| sdist files / kB | wheel files / kB |"),
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        sdist = f"{r['sdist']} / {r.get('kB.tar.gz', '?')}" if "sdist" in r else ""
        wheel = f"{r['wheel']} / {r.get('kB.whl', r.get('kB.zip', '?'))}" if "wheel" in r else ""
        lines.append(f"| {r['tree']} | {r['contender']} | {r['median_ms']:.0f} | {r['min_ms']:.0f} | "
                     f"{r['vs_uv']:.2f}x | {r['vs_floor']:.2f}x | {r['cpu_ms']:.0f} | {sdist} | {wheel} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}"


# --- the sdist's file set against the real Django sdist --------------------------------------------


def compare_sdist() -> None:
    """shipyard's sdist of the Django tree against the sdist Django itself published."""
    tree = TREES / "django" / "shipyard" / f"django-{DJANGO_VERSION}"
    if not tree.is_dir():
        make_trees("django", pristine_django(), "django", PROJECT_DJANGO, DJANGO_EXTRA)
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([str(SHIPYARD_PYTHON), "-m", "shipyard", "build", "--sdist", str(tree), "-o", tmp],
                              env=RUN_ENV, capture_output=True, text=True, check=False)
        if proc.returncode:
            print(f"shipyard build --sdist failed:\n{proc.stdout}{proc.stderr}")
            return
        ours = next(Path(tmp).glob("*.tar.gz"))
        with tarfile.open(ours) as tar:
            mine = {m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()}
    with tarfile.open(django_sdist()) as tar:
        theirs = {m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()}
    print(f"shipyard sdist: {len(mine)} files; Django's own sdist: {len(theirs)} files")
    for label, diff in (("only in shipyard's", mine - theirs), ("only in Django's", theirs - mine)):
        print(f"  {label}: {len(diff)}" + (": " + ", ".join(sorted(diff)[:15]) if diff else ""))


# --- profile -------------------------------------------------------------------------------------------


def profile() -> None:
    """cProfile and -X importtime of `shipyard build` on the Django tree."""
    trees = make_trees("django", pristine_django(), "django", PROJECT_DJANGO, DJANGO_EXTRA)
    tree = trees["shipyard"]
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "prof"
        sh([str(SHIPYARD_PYTHON), "-m", "cProfile", "-o", str(stats), "-m", "shipyard", "build", str(tree),
            "-o", f"{tmp}/out"], env=RUN_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        code = ("import pstats,sys; p=pstats.Stats(sys.argv[1]); p.sort_stats('cumulative').print_stats(30);"
                "p.sort_stats('tottime').print_stats(20)")
        sh([str(SHIPYARD_PYTHON), "-c", code, str(stats)])
        proc = subprocess.run([str(SHIPYARD_PYTHON), "-X", "importtime", "-m", "shipyard", "build", str(tree),
                               "-o", f"{tmp}/out2"], env=RUN_ENV, capture_output=True, text=True, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            self_us, cum_us, name = line[len("import time:"):].split("|")
            rows.append((int(cum_us), int(self_us), name[1:].rstrip()))
    print("\n-X importtime, top cumulative (us):")
    for cum, own, name in sorted(rows, reverse=True)[:25]:
        print(f"  {cum:>8} {own:>8}  {name}")
    print(f"  all imports: {sum(c for c, _, n in rows if not n.startswith(' ')) / 1000:.1f} ms")


# --- main ----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="counted rounds (default 5; one warm-up round more)")
    parser.add_argument("--trees", default="tiny,django", help="comma-separated: tiny, django")
    parser.add_argument("--no-isolated", dest="isolated", action="store_false",
                        help="skip the one isolated python -m build run per tree")
    parser.add_argument("--profile", action="store_true", help="profile shipyard on Django instead")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_venv()
    # shipyard runs from an editable install: compile its bytecode once, as pip does when it
    # installs a wheel, so that PYTHONDONTWRITEBYTECODE below does not make it recompile every run
    sh([str(SHIPYARD_PYTHON), "-m", "compileall", "-q", str(REPO / "core" / "src"), str(REPO / "src")])
    if args.profile:
        profile()
        return
    rows = []
    wanted = args.trees.split(",")
    if "tiny" in wanted:
        rows += bench_tree("tiny", pristine_tiny(), "tiny", PROJECT_TINY, [], args.rounds, args.isolated)
    if "django" in wanted:
        rows += bench_tree("django", pristine_django(), "django", PROJECT_DJANGO, DJANGO_EXTRA,
                           args.rounds, args.isolated)
    sys.stderr.flush()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\n{stamp}; {machine()}; {args.rounds} rounds (+1 warm-up), interleaved\n")
    print(table(rows), flush=True)
    if "django" in wanted:
        print()
        compare_sdist()
    if args.json:
        args.json.write_text(json.dumps({"when": stamp, "machine": machine(), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
