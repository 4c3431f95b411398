"""`freeze()`: from a target to a one-folder or one-file app. The steps, in order:

resolve the target (all checks that can fail on bad input) -> collect whole distributions
-> compile bytecode -> trace the standard library -> add the interpreter and the shared
libraries -> write the output atomically.
"""

from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path

from shipyard_core.errors import ShipyardError

from shipyard.freeze import libraries, target
from shipyard.freeze.analysis import STDLIB_NAMES, Stdlib
from shipyard.freeze.bytecode import absolute, compile_many, compile_module
from shipyard.freeze.distributions import Installed
from shipyard.freeze.elf import is_elf, strings
from shipyard.freeze.interpreter import host
from shipyard.freeze.launcher import compile_launcher, configure
from shipyard.freeze.layout import MANIFEST, Bundle, Item, check_output, write_onedir, write_onefile

APP_DIR = "lib/app"  # the app's own code and data; its scripts' __file__ folder
DEFAULT_MTIME = 315532800  # 1980-01-01, the zip epoch; SOURCE_DATE_EPOCH overrides it


@dataclass
class FreezeOptions:
    target: str                          # script path, module name (module=True) or project folder
    module: bool = False
    onefile: bool = False
    outdir: Path = Path("dist")
    name: str | None = None
    entry: str | None = None
    add_data: list[tuple[str, str]] = field(default_factory=list)   # (source, destination in app/)
    include_modules: list[str] = field(default_factory=list)
    exclude_modules: list[str] = field(default_factory=list)
    optimize: int = 0


@dataclass
class FreezeResult:
    path: str
    mode: str
    name: str
    kind: str
    entry: str
    python: str
    distributions: list[str]
    stdlib_files: int
    files: int
    size: int
    seconds: float


def _data_files(pairs: list[tuple[str, str]]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for src, dest in pairs:
        source = Path(src)
        rel = posixpath.normpath(dest.replace(os.sep, "/")) if dest else "."
        if rel.startswith(("/", "..")) or rel == "..":
            raise ShipyardError(f"destination must be a relative folder inside the app, got {dest!r}",
                                field="--add-data")
        if source.is_dir():
            for f in sorted(p for p in source.rglob("*") if p.is_file()):
                files[posixpath.normpath(posixpath.join(rel, source.name, f.relative_to(source).as_posix()))] = f
        elif source.is_file():
            files[posixpath.normpath(posixpath.join(rel, source.name))] = source
        else:
            raise ShipyardError("no such file or folder", file=src, field="--add-data")
    return files


def _pyc_path(rel: str, optimize: int) -> str:
    return importlib.util.cache_from_source(rel, optimization=optimize or "")


def _module_name(rel: str) -> tuple[str, bool]:
    """("pkg.mod", is_package) for a path like "pkg/mod.py" relative to an import root."""
    parts = rel[:-3].split("/")
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _add_app_module(bundle: Bundle, dest: str, source: Path, optimize: int, rel: str) -> set[str]:
    """Add one of the app's own modules and its bytecode; returns the names it may import."""
    try:
        compiled = compile_module(source.read_bytes(), dest, optimize)
    except (SyntaxError, ValueError) as exc:
        raise ShipyardError(f"cannot be compiled: {exc}", file=source) from None
    bundle[dest] = Item(source=source)
    bundle[_pyc_path(dest, optimize)] = Item(data=compiled.pyc)
    return absolute(compiled.imports, *_module_name(rel))


def _add_distributions(bundle: Bundle, dists: list[Installed], site: str, optimize: int) -> set[str]:
    """Add every file of the distributions, and bytecode for their modules; returns what they may import."""
    seeds: set[str] = set()
    modules: list[tuple[str, str, Path]] = []
    for dist in dists:
        for rel in dist.files:
            source = dist.site / rel
            if not source.is_file():
                continue
            if rel.endswith(".py"):
                bundle[f"{site}/{rel}"] = Item(source=source)
                modules.append((rel, f"{site}/{rel}", source))
            else:
                seeds |= _add_file(bundle, f"{site}/{rel}", source)
    compiled = compile_many([(source.read_bytes(), dest) for _, dest, source in modules], optimize)
    for (rel, dest, _), result in zip(modules, compiled, strict=True):
        if result is not None:   # None: e.g. a template shipped as .py; Python would not import it either
            bundle[_pyc_path(dest, optimize)] = Item(data=result.pyc)
            seeds |= absolute(result.imports, *_module_name(rel))
    return seeds


def _add_file(bundle: Bundle, dest: str, source: Path) -> set[str]:
    bundle[dest] = Item(source=source, mode=0o755 if os.access(source, os.X_OK) else 0o644)
    if dest.endswith(".so") and is_elf(source):
        return strings(source)
    return set()


def _boot_code(kind: str, entry: str) -> bytes:
    source = Path(__file__).with_name("boot.py").read_text()
    marker = "SETTINGS: dict = {}  # replaced by the freezer: kind, entry"
    return source.replace(marker, f"SETTINGS: dict = {{'kind': {kind!r}, 'entry': {entry!r}}}").encode()


def _excluded(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p + ".py" or path.startswith(p + "/") or path.startswith(p + ".") for p in prefixes)


def _resolve(opts: FreezeOptions, stack: ExitStack) -> target.App:
    if not 0 <= opts.optimize <= 2:
        raise ShipyardError("must be 0, 1 or 2", field="--optimize")
    if opts.module:
        app = target.from_module(opts.target)
    elif Path(opts.target).is_dir():
        app = target.from_project(Path(opts.target), opts.entry, stack)
    else:
        app = target.from_script(Path(opts.target))
    if opts.entry and app.kind != "entry":
        raise ShipyardError("--entry is for project folders", field="--entry")
    return app


def _included_distributions(app: target.App, names: list[str]) -> list[str]:
    """Distributions that --include-module names bring in (standard-library names bring none)."""
    owners = app.env.owners
    for name in names:
        top = name.split(".")[0]
        if top not in owners and top not in STDLIB_NAMES:
            raise ShipyardError(f"no module named '{name}' in the standard library or the environment",
                                field="--include-module")
    return [owners[n.split(".")[0]] for n in names if n.split(".")[0] in owners]


def _collect_code(app: target.App, dists: list[Installed], data: dict[str, Path], site: str,
                  optimize: int) -> tuple[Bundle, set[str]]:
    """Distributions, the app's own files and the start-up code; and every module they may import."""
    bundle: Bundle = {}
    seeds: set[str] = {app.entry} if app.kind == "module" else set()
    seeds |= _add_distributions(bundle, dists, site, optimize)
    for rel, source in sorted({**app.files, **data}.items()):
        if rel.endswith(".py") and rel in app.files:
            seeds |= _add_app_module(bundle, f"{APP_DIR}/{rel}", source, optimize, rel)
        else:
            _add_file(bundle, f"{APP_DIR}/{rel}", source)
    boot = compile_module(_boot_code(app.kind, app.entry), "lib/shipyard-boot.py", optimize)
    bundle["lib/shipyard-boot.pyc"] = Item(data=boot.pyc)
    # the start-up code serves multiprocessing's children only if the app uses it
    seeds |= {n for n in absolute(boot.imports, "__main__", False) if not n.startswith("multiprocessing")}
    return bundle, seeds


def freeze(opts: FreezeOptions, progress: Callable[[str], None] = lambda _: None) -> FreezeResult:
    """Freeze `opts.target`; raises ShipyardError (before writing anything) on bad input."""
    started = time.perf_counter()
    interp = host()
    with ExitStack() as stack:
        progress("Resolving the app and its dependencies")
        app = _resolve(opts, stack)
        name = opts.name or app.name
        if not name or "/" in name or name in (".", "..", "lib") or name.startswith("."):
            raise ShipyardError(f"invalid app name {name!r} ('lib' is the bundle's own folder)", field="--name")
        dest = Path(opts.outdir) / name
        check_output(dest)
        data = _data_files(opts.add_data)
        extra = _included_distributions(app, opts.include_modules)
        dists = app.env.closure(app.requirements + extra, wanted_by=str(app.origin))

        progress(f"Collecting {len(dists)} distributions and compiling bytecode")
        site = f"{interp.stdlib_dest}/site-packages"
        bundle, seeds = _collect_code(app, dists, data, site, opts.optimize)

        progress("Tracing the standard library")
        stdlib = Stdlib(interp, opts.optimize).closure(seeds, opts.include_modules, opts.exclude_modules)
        bundle.update(stdlib)
        prefixes = tuple(f"{p}/{n.replace('.', '/')}" for n in opts.exclude_modules
                         for p in (site, APP_DIR) if n.split(".")[0] not in STDLIB_NAMES)
        if prefixes:
            bundle = {k: v for k, v in bundle.items() if not _excluded(k, prefixes)}

        progress("Adding the interpreter and its shared libraries")
        bundle[f"lib/{interp.libpython_name}"] = Item(source=interp.libpython, mode=0o755)
        host_files = {f"lib/{interp.libpython_name}"} | {k for k in stdlib if "/lib-dynload/" in k}
        bundle = libraries.complete(bundle, host_files)
        distributions = [f"{d.name}=={d.version}" for d in dists]
        manifest = {"name": name, "kind": app.kind, "entry": app.entry, "python": interp.version,
                    "optimize": opts.optimize, "distributions": distributions}
        bundle[MANIFEST] = Item(data=json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n")
        launcher = configure(compile_launcher(interp), {
            "name": name, "lib": f"lib/{interp.libpython_name}", "stdlib": interp.stdlib_dest,
            "boot": "lib/shipyard-boot.pyc", "opt": str(opts.optimize)})

        progress(f"Writing {dest}")
        if opts.onefile:
            write_onefile(bundle, launcher, dest, int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_MTIME)))
            size = dest.stat().st_size
        else:
            write_onedir(bundle, launcher, dest)
            size = sum(f.stat().st_size for f in dest.rglob("*") if f.is_file())
    return FreezeResult(
        path=str(dest), mode="onefile" if opts.onefile else "onedir", name=name, kind=app.kind, entry=app.entry,
        python=interp.version, distributions=distributions, stdlib_files=len(stdlib),
        files=len(bundle) + 1, size=size, seconds=round(time.perf_counter() - started, 3))


def result_dict(result: FreezeResult) -> dict:
    return asdict(result)
