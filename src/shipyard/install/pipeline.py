"""`install()`: find → resolve → download (cache) → install into the target, or lock, or plan only."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import NormalizedName
from packaging.version import Version

from shipyard.install import cache, lock
from shipyard.install.download import fetch_all
from shipyard.install.finder import DistFile, Finder
from shipyard.install.installed import InstalledDist, scan, uninstall
from shipyard.install.installer import compile_bytecode, install_wheel
from shipyard.install.metadata import MetadataSource
from shipyard.install.progress import SILENT, Progress
from shipyard.install.resolver import resolve
from shipyard.install.session import client
from shipyard.install.target import Target, probe

PYPI = "https://pypi.org/simple/"


@dataclass(frozen=True)
class Action:
    """One distribution to put into the target (replacing an installed version, if any)."""

    name: NormalizedName
    version: Version
    file: DistFile
    replaces: InstalledDist | None
    requested: bool


@dataclass
class Report:
    """What install did (or, with dry_run, would do)."""

    target: Target
    actions: list[Action]
    unchanged: list[tuple[NormalizedName, Version]]
    dry_run: bool
    lock: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class _Plan:
    chosen: dict[NormalizedName, tuple[Version, DistFile | None]]
    requested: set[NormalizedName]


def install(requirements: list[Requirement], *, index_urls: list[str] | None = None, python: str | Path | None = None,
            direct: dict[NormalizedName, DistFile] | None = None, constraints: list[Requirement] = (),
            target_dir: str | Path | None = None, no_deps: bool = False, upgrade: bool = False, pre: bool = False,
            reinstall: bool = False, bytecode: bool = False,
            dry_run: bool = False, lock_file: str | Path | None = None, from_lock: str | Path | None = None,
            break_system_packages: bool = False, progress: Progress = SILENT,
            log: Callable[[str], None] = lambda message: None) -> Report:
    """Install requirements (or a lock's exact files) into a target environment.

    `direct` maps names to files given directly (local paths, `name @ URL`); `requirements`
    name them too, pinned to the file's version. `constraints` limit versions (pip's -c).
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    index_urls = index_urls or [PYPI]
    target = probe(python, target_dir, break_system_packages)
    installed = scan(target.site_dirs)
    with client(index_urls) as http:
        metadata = MetadataSource(http, target, build_index=index_urls[0])
        if from_lock is not None:
            plan = _plan_from_lock(Path(from_lock), target)
        else:
            # A lock describes index files, and a reinstall needs them: resolve as for an empty environment.
            plan = _plan_by_resolving(requirements, Finder(http, index_urls, target), metadata, target,
                                      {} if lock_file or reinstall else installed, upgrade=upgrade,
                                      no_deps=no_deps, pre=pre, direct=direct, constraints=constraints)
        timings["resolve"] = time.perf_counter() - start
        log(f"{'Read' if from_lock else 'Resolved'} {len(plan.chosen)} package(s) in {timings['resolve']:.2f} s")
        # files and folders given directly are always (re)installed: their content may be new
        fresh = {name for name, (version, dist) in plan.chosen.items() if dist is not None
                 and (reinstall or name not in installed or installed[name].version != version
                      or name in (direct or {}))}
        actions = [Action(name, version, dist, installed.get(name), name in plan.requested)
                   for name, (version, dist) in sorted(plan.chosen.items()) if name in fresh]
        unchanged = [(name, version) for name, (version, _) in sorted(plan.chosen.items())
                     if name in installed and name not in fresh]

        start = time.perf_counter()
        locked_files = [dist for _, dist in plan.chosen.values() if dist is not None] if lock_file else []
        downloads = {a.file.filename: a.file for a in actions if not dry_run and a.file.filename not in metadata.wheels}
        # a lock needs every file's size and sha256: download those the index did not describe
        downloads.update({d.filename: d for d in locked_files if not d.sha256 or d.size is None})
        try:
            paths = fetch_all(http, downloads.values(), progress)
        finally:
            progress.close()
        if downloads:
            timings["download"] = time.perf_counter() - start
            log(f"Fetched {len(downloads)} file(s) in {timings['download']:.2f} s")
        if lock_file:
            lock.write(Path(lock_file), [_locked(name, version, dist, paths)
                                         for name, (version, dist) in plan.chosen.items() if dist], target)
        if dry_run:
            return Report(target, actions, unchanged, True, Path(lock_file) if lock_file else None, timings)

        start = time.perf_counter()
        wheels = {a.name: metadata.local_wheel(a.file, paths.get(a.file.filename)) for a in actions}
        timings["build"] = time.perf_counter() - start

    start = time.perf_counter()
    _apply(actions, wheels, target, bytecode)
    timings["install"] = time.perf_counter() - start
    return Report(target, actions, unchanged, False, Path(lock_file) if lock_file else None, timings)


def _plan_by_resolving(requirements: list[Requirement], finder: Finder, metadata: MetadataSource, target: Target,
                       installed: dict[NormalizedName, InstalledDist], **options: object) -> _Plan:
    try:
        resolution = resolve(requirements, finder, metadata, target, installed, **options)
    finally:
        finder.close()
    return _Plan({n: (c.version, c.file) for n, c in resolution.chosen.items()}, resolution.requested)


def _plan_from_lock(path: Path, target: Target) -> _Plan:
    locked = lock.read(path, target)
    return _Plan({f.name: (f.version, f.file) for f in locked}, {f.name for f in locked})


def _locked(name: str, version: Version, dist: DistFile, paths: dict[str, Path]) -> lock.LockedFile:
    if dist.sha256 and dist.size is not None:
        return lock.LockedFile(name, version, dist, dist.size, dist.sha256)
    local = paths[dist.filename]
    return lock.LockedFile(name, version, dist, local.stat().st_size, dist.sha256 or cache.sha256_of(local))


def _apply(actions: list[Action], wheels: dict[NormalizedName, Path], target: Target, bytecode: bool) -> None:
    """Replace old versions and install the new ones, several distributions at once."""

    def one(action: Action) -> list[Path]:
        if action.replaces is not None:
            uninstall(action.replaces, [Path(p) for p in target.scheme.values()])
        return install_wheel(wheels[action.name], target, action.requested)

    with ThreadPoolExecutor(max_workers=8, thread_name_prefix="shipyard-install") as pool:
        modules = [m for future in [pool.submit(one, action) for action in actions] for m in future.result()]
    if bytecode:
        compile_bytecode(target, modules)
