"""Progress while uploading: a rich bar per file on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from shipyard.publish.run import Outcome

if TYPE_CHECKING:
    from rich.console import Console

_MARKS = {"uploaded": "uploaded", "skipped": "skipped (already there)", "failed": "FAILED", "not attempted": "not attempted"}


def _size(size: int) -> str:
    return f"{size / 1024:.1f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class PlainDisplay:
    """One line when a file starts and one when it ends; for logs and CI."""

    def __init__(self, stream: TextIO = sys.stderr):
        self.stream = stream

    def _say(self, message: str) -> None:
        print(message, file=self.stream, flush=True)

    def warning(self, message: str) -> None:
        self._say(f"warning: {message}")

    def start(self, path: Path, total: int) -> None:
        self._say(f"Uploading {path.name} ({_size(path.stat().st_size)})")

    def advance(self, sent: int, total: int) -> None:
        pass

    def retry(self, message: str) -> None:
        self._say(f"  {message}")

    def finish(self, outcome: Outcome) -> None:
        detail = f": {outcome.message}" if outcome.message and outcome.status != "uploaded" else ""
        self._say(f"  {_MARKS[outcome.status]} {outcome.path.name}{detail}")


class RichDisplay(PlainDisplay):
    """A progress bar per file (bytes, speed, time left) on a terminal."""

    def __init__(self, console: Console | None = None) -> None:
        from rich.console import Console

        super().__init__()
        self.console = console or Console(stderr=True)
        self.progress = None
        self.task = None

    def _say(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False)

    def start(self, path: Path, total: int) -> None:
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn

        self.progress = Progress("{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                                 TimeRemainingColumn(compact=True, elapsed_when_finished=True),
                                 console=self.console, transient=False)
        self.progress.start()
        self.task = self.progress.add_task(path.name, total=total)

    def advance(self, sent: int, total: int) -> None:
        if self.progress is not None:
            self.progress.update(self.task, completed=sent)

    def retry(self, message: str) -> None:
        if self.progress is not None:
            self.progress.console.print(f"  {message}", markup=False, highlight=False)

    def finish(self, outcome: Outcome) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
        super().finish(outcome)


def display_for(stream: TextIO = sys.stderr) -> PlainDisplay:
    return RichDisplay() if stream.isatty() else PlainDisplay(stream)
