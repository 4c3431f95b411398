"""Same [project] table, three backends: shipyard-core's wheel agrees with hatchling's and flit_core's."""

from __future__ import annotations

import sys
import zipfile
from email.parser import BytesParser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from shipyard_core.build import build

sys.path.insert(0, str(Path(__file__).parent.parent))
from conftest import run  # noqa: E402

pytestmark = pytest.mark.slow

PROJECT = """
[project]
name = "peerpkg"
version = "2.0.1"
description = "One project, three backends."
readme = "README.md"
requires-python = ">=3.9"
license = "MIT"
license-files = ["LICENSE"]
authors = [{name = "Ada Lovelace", email = "ada@example.org"}]
keywords = ["peer", "compare"]
classifiers = ["Programming Language :: Python :: 3"]
dependencies = ["packaging>=20", 'tomli>=1; python_version < "3.11"']

[project.optional-dependencies]
cli = ["click>=8"]

[project.urls]
Homepage = "https://example.org"

[project.scripts]
peer = "peerpkg:main"
"""
BACKENDS = {
    "hatchling": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    "flit_core": '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n',
}
FILES = {
    "README.md": "# peerpkg\n",
    "LICENSE": "MIT License\n",
    "peerpkg/__init__.py": '"""Peer."""\n\ndef main():\n    print("peer")\n',
    "peerpkg/data/values.json": "[1, 2]\n",
    "peerpkg/sub/__init__.py": "",
}
#: Differences on purpose, each with its reason.
EXPECTED_DIFFERENCES = {
    # Each backend names itself as the WHEEL's generator. hatchling sorts keywords;
    # shipyard-core keeps the author's order, as flit_core does.
    "hatchling": {"WHEEL:Generator", "METADATA:Keywords"},
    # flit_core 4 also writes Import-Name (PEP 794, Core Metadata 2.5); shipyard-core writes
    # the lowest metadata version that holds the project's fields, and [project] has no
    # import-names here, so it leaves that field out (uploaders and indexes that predate 2.5
    # accept its files).
    "flit_core": {"WHEEL:Generator", "METADATA:Import-Name"},
}


def wheel_summary(wheel: Path) -> tuple[list[str], dict[str, list[str]], dict[str, str]]:
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(archive.namelist())
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = BytesParser().parsebytes(archive.read(f"{dist_info}/METADATA"))
        wheel_file = BytesParser().parsebytes(archive.read(f"{dist_info}/WHEEL"))
    fields: dict[str, list[str]] = {}
    for key, value in metadata.items():
        fields.setdefault(key, []).append(value)
    fields["Description"] = [metadata.get_payload().strip()]
    # 'a ; extra == "x"' and 'a; extra == "x"' are the same requirement
    fields["Requires-Dist"] = [str(Requirement(r)) for r in fields.get("Requires-Dist", [])]
    return names, fields, dict(wheel_file.items())


@pytest.mark.parametrize("peer", sorted(BACKENDS))
def test_wheel_equals_peer(peer: str, tmp_path: Path, write_project) -> None:
    ours_root = write_project(tmp_path / "ours", PROJECT, FILES)
    theirs_root = write_project(tmp_path / peer, BACKENDS[peer] + PROJECT, FILES, backend=False)
    ours = build(ours_root, tmp_path / "dist-ours", sdist=False).wheel
    run(sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", tmp_path / "dist-theirs", theirs_root)
    theirs = next((tmp_path / "dist-theirs").glob("*.whl"))
    assert ours.name == theirs.name

    our_names, our_fields, our_wheel = wheel_summary(ours)
    their_names, their_fields, their_wheel = wheel_summary(theirs)
    assert our_names == their_names

    our_fields.pop("Metadata-Version"), their_fields.pop("Metadata-Version")  # see Import-Name below
    differing = {f"METADATA:{k}" for k in our_fields.keys() | their_fields.keys() if our_fields.get(k) != their_fields.get(k)}
    differing |= {f"WHEEL:{k}" for k in our_wheel.keys() | their_wheel.keys() if our_wheel.get(k) != their_wheel.get(k)}
    assert differing == EXPECTED_DIFFERENCES[peer]
