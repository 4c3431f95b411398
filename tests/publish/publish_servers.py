"""Servers the publish tests upload to: a real pypiserver, and a recorder of upload forms."""

from __future__ import annotations

import email.parser
import email.policy
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

USER, PASSWORD = "alice", "s3cret-p4ss"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PypiServer:
    """pypiserver on 127.0.0.1 with uploads behind htpasswd authentication."""

    packages: Path
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def simple(self) -> str:
        return f"{self.url}simple/"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def start_pypiserver(root: Path) -> PypiServer:
    from passlib.apache import HtpasswdFile

    packages = root / "packages"
    packages.mkdir(parents=True)
    htpasswd = HtpasswdFile(str(root / "htpasswd"), new=True)
    htpasswd.set_password(USER, PASSWORD)
    htpasswd.save()
    port = free_port()
    process = subprocess.Popen(
        [Path(sys.executable).parent / "pypi-server", "run", "-i", "127.0.0.1", "-p", str(port),
         "-P", root / "htpasswd", "-a", "update", "--disable-fallback", "--hash-algo", "sha256", packages],
        stdout=subprocess.DEVNULL, stderr=(root / "server.log").open("wb"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return PypiServer(packages, port, process)
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"pypiserver did not start: {(root / 'server.log').read_text()}")


@dataclass
class Upload:
    """One request the recorder received: headers, form fields in order, the file."""

    headers: dict[str, str]
    fields: list[tuple[str, str]]
    filename: str | None
    content: bytes | None


@dataclass
class Recorder:
    """An HTTP server that records upload forms and answers from a script (default: 200 OK)."""

    port: int = 0
    uploads: list[Upload] = field(default_factory=list)
    #: (status, reason phrase, body) answers to give in order, then 200
    script: deque = field(default_factory=deque)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/legacy/"

    def reset(self, *answers: tuple[int, str, str]) -> None:
        self.uploads.clear()
        self.script = deque(answers)


def parse_form(content_type: str, body: bytes) -> tuple[list[tuple[str, str]], str | None, bytes | None]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields, filename, content = [], None, None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename() is not None:
            filename, content = part.get_filename(), part.get_payload(decode=True)
        else:
            fields.append((name, part.get_payload(decode=True).decode("utf-8")))
    return fields, filename, content


def start_recorder() -> Recorder:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            fields, filename, content = parse_form(self.headers["Content-Type"], body)
            recorder.uploads.append(Upload(dict(self.headers), fields, filename, content))
            status, reason, text = recorder.script.popleft() if recorder.script else (200, "OK", "")
            data = text.encode()
            self.send_response(status, reason)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.server, recorder.port = server, server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return recorder


def start_garbage_server() -> tuple[int, socket.socket]:
    """A TCP server that answers every connection with bytes that are not HTTP."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(b"\x00\x01garbage, not HTTP\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1], listener


@dataclass
class ShipyardIndex:
    """`shipyard serve` on a free port, with one user and an API token of hers."""

    data: Path
    port: int
    process: subprocess.Popen
    token: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def start_shipyard_index(data: Path) -> ShipyardIndex:
    def index(*args: str, **kwargs) -> str:
        return subprocess.run([sys.executable, "-m", "shipyard", "index", *args, "--data", str(data)],
                              check=True, capture_output=True, text=True, **kwargs).stdout.strip()

    data.mkdir(parents=True)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "shipyard", "serve", "--data", str(data), "--port", str(port),
                                "--quiet"], stdout=subprocess.DEVNULL, stderr=(data.parent / f"{data.name}.log").open("wb"))
    server = ShipyardIndex(data, port, process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{server.url}simple/", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        server.stop()
        raise RuntimeError((data.parent / f"{data.name}.log").read_text())
    index("user", "add", USER, "--password-stdin", input=PASSWORD + "\n")
    server.token = index("token", "create", USER)
    return server
