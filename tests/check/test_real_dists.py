"""Good distributions from PyPI (flit_core, hatchling, setuptools projects): no false alarms."""

from __future__ import annotations

import pytest

from shipyard.check import check_files

pytestmark = pytest.mark.slow

#: True of older releases, and worth saying, but no reason to refuse them.
HARMLESS = {
    "metadata-field-too-new",  # setuptools wrote License-File under Metadata-Version 2.1
    "readme-content-type",  # no Description-Content-Type: rendered as RST, as PyPI does
    "sdist-no-pyproject",  # a setup.py-only sdist
    "rebuild-invalid",  # today's backend writes what the index now refuses (License :: beside an expression)
}


def test_real_wheels_and_sdists_have_no_errors(real_dists):
    files = real_dists["sdist"] + real_dists["wheel"]
    assert len(real_dists["sdist"]) >= 5 and len(real_dists["wheel"]) >= 5
    reports = check_files(files)
    errors = [f"{r.path.name}: {f}" for r in reports for f in r.errors]
    assert not errors, "\n".join(errors)
    unexpected = [f"{r.path.name}: {f}" for r in reports for f in r.warnings if f.code not in HARMLESS]
    assert not unexpected, "\n".join(unexpected)
    clean = [r.path.name for r in reports if not r.findings]
    assert any(name.startswith("idna") for name in clean) and any(name.startswith("packaging") for name in clean)
