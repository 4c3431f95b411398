"""Download progress: a rich bar on a terminal, plain lines otherwise, nothing when quiet."""

from __future__ import annotations

import sys
import threading
from typing import Protocol


class Progress(Protocol):
    def start(self, filename: str, size: int | None) -> None: ...
    def advance(self, filename: str, amount: int) -> None: ...
    def finish(self, filename: str, size: int, cached: bool) -> None: ...
    def close(self) -> None: ...


class Silent:
    def start(self, filename: str, size: int | None) -> None: pass
    def advance(self, filename: str, amount: int) -> None: pass
    def finish(self, filename: str, size: int, cached: bool) -> None: pass
    def close(self) -> None: pass


SILENT = Silent()


def human(size: int) -> str:
    return f"{size / 1024:.1f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class Lines(Silent):
    """One line per finished file on stderr (for logs and pipes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def finish(self, filename: str, size: int, cached: bool) -> None:
        if not cached:
            with self._lock:
                print(f"Downloaded {filename} ({human(size)})", file=sys.stderr, flush=True)


class Bars:
    """A rich progress bar per download in flight, on stderr (shown from the first download on)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                                  TransferSpeedColumn(), console=Console(stderr=True), transient=True)
        self._tasks: dict[str, int] = {}
        self._lock = threading.Lock()
        self._started = False

    def start(self, filename: str, size: int | None) -> None:
        with self._lock:
            if not self._started:
                self._progress.start()
                self._started = True
            if filename in self._tasks:  # a retry starts over
                self._progress.reset(self._tasks[filename], total=size)
            else:
                self._tasks[filename] = self._progress.add_task(filename, total=size)

    def advance(self, filename: str, amount: int) -> None:
        self._progress.advance(self._tasks[filename], amount)

    def finish(self, filename: str, size: int, cached: bool) -> None:
        with self._lock:
            task = self._tasks.pop(filename, None)
            if task is not None:
                self._progress.remove_task(task)

    def close(self) -> None:
        if self._started:
            self._progress.stop()


def for_terminal(quiet: bool) -> Progress:
    if quiet:
        return Silent()
    return Bars() if sys.stderr.isatty() else Lines()
