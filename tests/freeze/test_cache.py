"""The one-file app's cache: private, unpacked once, atomic, race-safe, repaired when damaged."""

from __future__ import annotations

import os
import stat
import subprocess
import time

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def onefile(frozen):
    return frozen("hello.py", "onefile")


def run_app(app, cache, *args):
    env = {"PATH": "/usr/bin:/bin", "SHIPYARD_APP_CACHE": str(cache)}
    return subprocess.run([app, *args], capture_output=True, text=True, env=env, timeout=60)


def unpacked(cache):
    return [p for p in cache.iterdir()]


def test_first_run_unpacks_once_into_a_private_folder(onefile, tmp_path):
    cache = tmp_path / "cache"
    assert run_app(onefile, cache).stdout == "hello world\nfrozen: True\n"
    [folder] = unpacked(cache)
    assert folder.name.startswith("hello-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    marker = folder / "lib" / "app" / "hello.py"
    before = (folder.stat().st_ino, marker.stat().st_ino)
    assert run_app(onefile, cache).returncode == 0
    assert (folder.stat().st_ino, marker.stat().st_ino) == before   # warm run: nothing unpacked again
    assert unpacked(cache) == [folder]


@pytest.mark.parametrize("damage", ["tamper", "delete", "truncate"])
def test_damaged_or_tampered_cache_is_rebuilt(onefile, tmp_path, damage):
    cache = tmp_path / "cache"
    assert run_app(onefile, cache).returncode == 0
    [folder] = unpacked(cache)
    script = folder / "lib" / "app" / "hello.py"
    original = script.read_text()
    if damage == "tamper":
        script.write_text("print('tampered')\n" + original)
    elif damage == "delete":
        next((folder / "lib").glob("libpython*")).unlink()
    else:
        lib = next((folder / "lib").glob("python3.*/os.pyc"))
        lib.write_bytes(lib.read_bytes()[:100])
    result = run_app(onefile, cache)
    assert result.stdout == "hello world\nfrozen: True\n", result.stderr
    [folder] = unpacked(cache)
    assert script.read_text() == original


def test_concurrent_first_runs(onefile, tmp_path):
    cache = tmp_path / "cache"
    env = {"PATH": "/usr/bin:/bin", "SHIPYARD_APP_CACHE": str(cache)}
    procs = [subprocess.Popen([onefile], stdout=subprocess.PIPE, text=True, env=env) for _ in range(6)]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert set(outs) == {"hello world\nfrozen: True\n"}
    assert len(unpacked(cache)) == 1   # one folder, no temporary leftovers


def test_leftovers_of_killed_first_runs_are_cleaned_up(onefile, tmp_path):
    cache = tmp_path / "cache"
    old, recent = cache / ".tmp-hello-0-killed", cache / ".tmp-hello-0-running"
    (old / "lib").mkdir(parents=True)
    recent.mkdir()
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert run_app(onefile, cache).returncode == 0
    assert not old.exists()
    assert recent.exists()   # may belong to a first run still unpacking
