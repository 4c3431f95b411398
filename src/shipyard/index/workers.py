"""Run the index under uvicorn: in this process, or as N forked workers on one socket.

Workers are forked after the imports (copy-on-write), so starting several costs little more
than starting one; each builds its own app (its own database connections) after the fork.
The parent restarts a worker that dies and passes SIGTERM/SIGINT on to all of them.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time

from shipyard.index.config import Settings


def _config(settings: Settings, host: str, port: int, quiet: bool):
    import uvicorn

    from shipyard.index.app import create_app

    return uvicorn.Config(create_app(settings), host=host, port=port, log_level="warning" if quiet else "info",
                          access_log=not quiet, server_header=False, proxy_headers=False,
                          timeout_graceful_shutdown=5, loop="auto", http="auto")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(settings: Settings, sock: socket.socket, host: str, port: int, quiet: bool) -> None:
    import uvicorn

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    server = uvicorn.Server(_config(settings, host, port, quiet))
    server.run(sockets=[sock])
    os._exit(0)


def serve(settings: Settings, host: str, port: int, workers: int, quiet: bool) -> None:
    """Serve until interrupted."""
    import uvicorn

    if workers == 1:
        uvicorn.Server(_config(settings, host, port, quiet)).run()
        return
    import shipyard.index.app  # noqa: F401  (import once, before forking)

    sock = _bind(host, port)
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:
            _worker(settings, sock, host, port, quiet)
        children.add(pid)

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        spawn()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.discard(pid)
        if not stopping:
            print(f"worker {pid} exited ({status}); starting another", file=sys.stderr)
            time.sleep(0.2)
            spawn()
    sock.close()
