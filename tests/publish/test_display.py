"""Progress: a rich bar per file on a terminal, plain lines otherwise."""

from __future__ import annotations

import io
from pathlib import Path

from shipyard.publish import Outcome
from shipyard.publish.display import PlainDisplay, RichDisplay, display_for


def test_plain_lines_when_not_a_terminal(tmp_path):
    path = tmp_path / "demo-1.0.tar.gz"
    path.write_bytes(b"x" * 2048)
    stream = io.StringIO()
    display = display_for(stream)
    assert type(display) is PlainDisplay
    display.start(path, 4096)
    display.advance(4096, 4096)
    display.finish(Outcome(path, "skipped", "already exists"))
    assert stream.getvalue() == ("Uploading demo-1.0.tar.gz (2.0 kB)\n"
                                 "  skipped (already there) demo-1.0.tar.gz: already exists\n")


def test_progress_bar_on_a_terminal(tmp_path):
    from rich.console import Console

    path = tmp_path / "demo-1.0-py3-none-any.whl"
    path.write_bytes(b"x" * 10)
    out = io.StringIO()
    display = RichDisplay(Console(file=out, force_terminal=True, width=100))
    display.start(path, 2_000_000)
    display.advance(1_000_000, 2_000_000)
    display.advance(2_000_000, 2_000_000)
    display.finish(Outcome(Path(path), "uploaded"))
    text = out.getvalue()
    assert "demo-1.0-py3-none-any.whl" in text and "2.0/2.0 MB" in text and "━" in text
    assert "uploaded demo-1.0-py3-none-any.whl" in text
