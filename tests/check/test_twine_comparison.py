"""twine check run for real on the same corpus: whatever it catches, shipyard check catches too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shipyard.check import check_files

#: `twine check --strict FILE` per file, in one process (twine crashes on some files; each is caught).
DRIVER = r"""
import json, sys
from twine.cli import dispatch
verdicts = {}
for path in sys.argv[1:]:
    try:
        verdicts[path] = bool(dispatch(["check", "--strict", path]))
    except BaseException as exc:  # twine raises (or crashes) instead of reporting
        verdicts[path] = True
print("\nVERDICTS", json.dumps(verdicts))
"""


def twine_verdicts(paths: list[Path]) -> dict[str, bool]:
    pytest.importorskip("twine")
    result = subprocess.run([sys.executable, "-c", DRIVER, *map(str, paths)], capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout.rpartition("\nVERDICTS ")[2])


def test_shipyard_catches_all_that_twine_catches_and_more(corpus):
    failed = twine_verdicts([case.path for case in corpus])
    caught_by_twine = {case.name for case in corpus if failed[str(case.path)]}
    caught_by_shipyard = {case.name for case in corpus
                          if not check_files([case.path, *case.alongside])[0].passed(strict=True)}
    assert caught_by_twine <= caught_by_shipyard
    assert caught_by_shipyard == {case.name for case in corpus}
    assert len(caught_by_twine) < len(caught_by_shipyard)
