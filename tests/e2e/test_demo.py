"""The README's main job runs green (so it cannot rot)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))
from conftest import run  # noqa: E402

pytestmark = pytest.mark.slow


def test_main_job_passes_every_step() -> None:
    result = run(sys.executable, "-m", "shipyard.demo", timeout=600)
    assert "FAILED" not in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("all ") and " steps passed in " in last
