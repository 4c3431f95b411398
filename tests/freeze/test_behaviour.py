"""A frozen app behaves like `python app.py`: arguments, streams, exit status, environment,
signals; and it never uses the Python or the PYTHON* settings of the machine it runs on."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(params=["onefile", "onedir"])
def app(request, frozen, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIPYARD_APP_CACHE", str(tmp_path / "cache"))
    return frozen("behave.py", request.param)


def hostile_env(tmp_path) -> dict[str, str]:
    """PYTHONPATH/PYTHONHOME pointing at a poisoned `json`, LD_LIBRARY_PATH at broken copies
    of the libraries the bundle carries: a frozen app must use neither."""
    poison = tmp_path / "poison"
    poison.mkdir(exist_ok=True)
    (poison / "json.py").write_text("raise SystemExit('host module used')\n")
    for lib in ("libssl.so.3", "libcrypto.so.3", "libz.so.1", "libffi.so.8"):
        (poison / lib).write_text("not a library")
    return {**os.environ, "PYTHONPATH": str(poison), "PYTHONHOME": str(poison), "LD_LIBRARY_PATH": str(poison),
            "BEHAVE_VAR": "x y"}


def files_of(app: Path, tmp_path: Path) -> dict[str, int]:
    root = app.parent if app.parent.name == app.name else tmp_path / "cache"
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*")}


def test_arguments_streams_exit_status_environment(app, tmp_path):
    subprocess.run([app, "echo", "0"], capture_output=True, stdin=subprocess.DEVNULL)
    before = files_of(app, tmp_path)
    result = subprocess.run([app, "echo", "7", "a b", "--help"], input="from stdin\n", capture_output=True,
                            text=True, env=hostile_env(tmp_path))
    assert result.returncode == 7, result.stderr
    assert result.stdout.splitlines() == [
        "args ['echo', '7', 'a b', '--help']",
        f"frozen True {app.name}",
        "env x y",
        "stdin from stdin",
        "json from bundle",
        "ssl OpenSSL",
    ]
    assert result.stderr == "to stderr\n"
    assert files_of(app, tmp_path) == before   # bytecode is ahead of time: nothing written


def test_uncaught_exception_prints_traceback_and_exits_1(app):
    result = subprocess.run([app, "raise"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "RuntimeError: boom" in result.stderr and "Traceback" in result.stderr


def test_ctrl_c_is_keyboard_interrupt(app):
    proc = subprocess.Popen([app, "sleep"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    assert out == "KeyboardInterrupt caught\n"
    assert proc.returncode == 3
