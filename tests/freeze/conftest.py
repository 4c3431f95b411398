"""Freeze each sample once per test session (shared by xdist workers) and run it with no Python."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run

SAMPLES = Path(__file__).parent / "samples"
SHARED_NOPYTHON = REPO.parent / "shared" / "tools" / "nopython.sh"
NOPYTHON = SHARED_NOPYTHON if SHARED_NOPYTHON.exists() else Path(__file__).parent / "nopython.sh"


def shipyard_freeze(*args: str | os.PathLike, check: bool = True, **kwargs):
    return run(sys.executable, "-m", "shipyard", "freeze", *args, check=check, **kwargs)


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory) -> Path:
    """A folder all xdist workers of this session share."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    path = root / "freeze-shared"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def frozen(shared_dir):
    """`frozen("hello.py", "onefile")` -> path of the app (built once, whichever worker asks first)."""

    def build(sample: str, mode: str, *extra: str) -> Path:
        key = hashlib.sha256("\0".join([sample, mode, *extra]).encode()).hexdigest()[:10]
        out = shared_dir / f"{Path(sample).stem}-{mode}-{key}"
        with open(shared_dir / f"{out.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (out / "done").exists():
                shipyard_freeze(SAMPLES / sample, f"--{mode}", "-o", out, *extra)
                (out / "done").write_text("")
        app = out / Path(sample).stem
        return app / app.name if mode == "onedir" else app

    return build


def _rootfs() -> tuple[Path, Path]:
    """nopython.sh's work folder and root file system (as it computes them)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    work = Path(os.environ.get("NOPY_WORK") or cache / "nopython")
    return work, Path(os.environ.get("NOPY_ROOTFS") or work / f"rootfs-{os.environ.get('NOPY_SUITE', 'bookworm')}")


def _ensure_rootfs() -> None:
    """Make nopython.sh's root file system once, not once per xdist worker at the same time."""
    work, rootfs = _rootfs()
    if (rootfs / "etc" / "debian_version").exists():
        return
    work.mkdir(parents=True, exist_ok=True)
    with open(work.parent / "nopython-rootfs.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (rootfs / "etc" / "debian_version").exists():
            run("bash", NOPYTHON, "/bin/true", check=False, timeout=1800)


def nopython(app: Path, *args: str, user: bool = False, timeout: int = 120) -> str:
    """Run a frozen app in a root file system without Python (as nobody with `user`); returns its stdout."""
    if os.geteuid() != 0:
        pytest.skip("the no-Python check needs root (chroot)")
    _ensure_rootfs()
    name = f"{app.name}-{os.getpid()}-{os.urandom(3).hex()}"
    options = ["--name", name, "--timeout", "60", *(["--user"] if user else [])]
    if app.parent.name == app.name:  # one-folder app: run the launcher inside its folder
        cmd = [NOPYTHON, *options, "--dir", app.parent, app.name, *args]
    else:
        cmd = [NOPYTHON, *options, app, *args]
    try:
        result = run("bash", *cmd, check=False, timeout=timeout)
    finally:  # nopython.sh leaves its copy of the app inside the root file system
        shutil.rmtree(_rootfs()[1] / "opt" / "nopy" / name, ignore_errors=True)
    assert result.returncode == 0 and "RESULT: PASS" in result.stdout, result.stdout + result.stderr
    return result.stdout.split("--- stdout\n", 1)[1].split("--- stderr\n", 1)[0]
