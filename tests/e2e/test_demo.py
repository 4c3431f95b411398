"""The README's main job runs green (so it cannot rot)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))
from conftest import REPO, run  # noqa: E402

pytestmark = pytest.mark.slow


def test_main_job_passes_every_step() -> None:
    """The README's first command, exactly (its set-up steps find everything in place)."""
    result = run("bash", REPO / "scripts" / "demo.sh", timeout=600)
    lines = result.stdout.splitlines()
    assert "FAILED" not in result.stdout
    assert [line for line in lines if line.startswith("[")][-1].startswith("[8/8] freeze")
    assert any(line.startswith("all 8 steps passed in ") for line in lines)
    assert lines[-1] == "server stopped; scratch folder removed"
