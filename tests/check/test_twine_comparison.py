"""twine check run for real on the same corpus: whatever it catches, shipyard check catches too."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from shipyard.check import check_files


def twine_fails(path: Path) -> bool:
    twine = Path(sys.executable).parent / "twine"
    if not twine.exists():
        pytest.skip("twine is not installed in the test environment")
    return subprocess.run([str(twine), "check", "--strict", str(path)], capture_output=True).returncode != 0


def test_shipyard_catches_all_that_twine_catches_and_more(corpus):
    with ThreadPoolExecutor(4) as pool:  # one twine per file: twine crashes on some of them
        verdicts = list(pool.map(twine_fails, [case.path for case in corpus]))
    caught_by_twine = {case.name for case, failed in zip(corpus, verdicts) if failed}
    caught_by_shipyard = {case.name for case in corpus
                          if not check_files([case.path, *case.alongside])[0].passed(strict=True)}
    assert caught_by_twine <= caught_by_shipyard
    assert caught_by_shipyard == {case.name for case in corpus}
    assert len(caught_by_twine) < len(caught_by_shipyard)
