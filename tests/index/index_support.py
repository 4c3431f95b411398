"""Helpers for the index tests: real `shipyard serve` processes on free loopback ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*args: str | os.PathLike, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, capture text output; on failure show what it printed."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    result = subprocess.run([str(a) for a in args], **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"command failed ({result.returncode}): {' '.join(map(str, args))}\n"
                             f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
    return result


def shipyard_cli(*args: str | os.PathLike, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "shipyard", *args, check=check, **kwargs)


@dataclass
class Server:
    """One `shipyard serve` process; its output goes to `log`."""

    data: Path
    args: tuple[str, ...] = ()
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.data.parent / f"{self.data.name}-{self.port}.log"

    def start(self, timeout: float = 20.0) -> Server:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "shipyard", "serve", "--data", str(self.data), "--port", str(self.port), *self.args],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code in (200, 401):
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise AssertionError(f"server did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def cli(self, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        """`shipyard index ARGS --data <this index's data>` (plus its --database)."""
        extra = list(self.args[self.args.index("--database"): self.args.index("--database") + 2]) if "--database" in self.args else []
        return shipyard_cli("index", *args, "--data", self.data, *extra, check=check, **kwargs)

    def add_user(self, name: str, password: str = PASSWORD) -> None:
        self.cli("user", "add", name, "--password-stdin", input=password + "\n")

    def token(self, user: str, project: str | None = None) -> str:
        return self.cli("token", "create", user, *(["--project", project] if project else [])).stdout.strip()

    def upload(self, path: Path, token: str, **fields) -> httpx.Response:
        """A legacy-API upload as twine sends it (fields override or add form values)."""
        return upload(self.url, path, token, **fields)


def upload(url: str, path: Path, token: str, **fields) -> httpx.Response:
    import hashlib

    from shipyard_core.distfile import parse_filename

    data = Path(path).read_bytes()
    kind, name, version = parse_filename(Path(path).name)
    form = {":action": "file_upload", "protocol_version": "1", "name": name, "version": str(version),
            "filetype": "bdist_wheel" if kind == "wheel" else "sdist", "pyversion": "py3" if kind == "wheel" else "source",
            "metadata_version": "2.1", "sha256_digest": hashlib.sha256(data).hexdigest()}
    form.update({k: v for k, v in fields.items() if v is not None})
    for key in [k for k, v in fields.items() if v is None]:
        form.pop(key, None)
    return httpx.post(f"{url}/legacy/", data=form, files={"content": (Path(path).name, data, "application/octet-stream")},
                      auth=("__token__", token), timeout=30)
