"""The sdist and wheel writers: contents, metadata, reproducibility, atomic output."""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.metadata import Metadata

from shipyard_core.build import build
from shipyard_core.distfile import read
from shipyard_core.errors import BuildError


def names(path: Path) -> list[str]:
    if path.suffix == ".whl":
        return zipfile.ZipFile(path).namelist()
    return tarfile.open(path).getnames()


def test_sdist_and_wheel_contents(sample: Path, tmp_path: Path) -> None:
    result = build(sample, tmp_path / "dist")
    assert result.sdist.name == "sample_project-1.2.3.tar.gz"
    assert result.wheel.name == "sample_project-1.2.3-py3-none-any.whl"
    top = "sample_project-1.2.3"
    assert sorted(names(result.sdist)) == sorted(f"{top}/{p}" for p in [
        ".gitignore", "LICENSE", "PKG-INFO", "README.md", "pyproject.toml", "src/sample_project/__init__.py",
        "src/sample_project/cli.py", "src/sample_project/data.py", "src/sample_project/greeting.txt",
        "src/sample_project/plugins.py", "src/sample_project/sub/__init__.py", "src/sample_project/sub/mod.py",
        "tests/test_sample.py",
    ])  # no .env, server.pem (secrets), debug.log or local/ (.gitignore)
    dist_info = "sample_project-1.2.3.dist-info"
    assert names(result.wheel) == [
        "sample_project/__init__.py", "sample_project/cli.py", "sample_project/data.py",
        "sample_project/greeting.txt", "sample_project/plugins.py", "sample_project/sub/__init__.py",
        "sample_project/sub/mod.py", f"{dist_info}/METADATA", f"{dist_info}/WHEEL",
        f"{dist_info}/entry_points.txt", f"{dist_info}/licenses/LICENSE", f"{dist_info}/RECORD",
    ]
    for path in (result.sdist, result.wheel):
        dist = read(path)
        assert dist.findings == [], [str(f) for f in dist.findings]


def test_metadata_fields(sample: Path, tmp_path: Path) -> None:
    wheel = build(sample, tmp_path, sdist=False).wheel
    raw = zipfile.ZipFile(wheel).read("sample_project-1.2.3.dist-info/METADATA")
    metadata = Metadata.from_email(raw, validate=True)
    assert metadata.metadata_version == "2.4"
    assert metadata.name == "Sample.Project"
    assert metadata.license_expression == "MIT OR Apache-2.0"
    assert metadata.license_files == ["LICENSE"]
    assert metadata.author == "Bob"
    assert metadata.author_email == "Ada Lovelace <ada@example.org>"
    assert metadata.maintainer_email == "team@example.org"
    assert metadata.provides_extra == ["cli", "fancy-output"]
    assert [str(r) for r in metadata.requires_dist] == [
        "packaging>=20", 'tomli; python_version < "3.11"', 'click>=8; extra == "cli"',
        'rich>=13; sys_platform != "win32" and extra == "fancy-output"',
    ]
    assert metadata.project_urls == {"Homepage": "https://example.org", "Source": "https://example.org/src"}
    assert metadata.description_content_type == "text/markdown"
    assert metadata.description.startswith("# Sample")
    assert metadata.keywords == ["sample", "test"]
    entry_points = zipfile.ZipFile(wheel).read("sample_project-1.2.3.dist-info/entry_points.txt").decode()
    assert entry_points == ("[console_scripts]\nsample-hello = sample_project.cli:main\n\n"
                            "[sample.plugins]\nbasic = sample_project.plugins:basic\n")


def test_lowest_metadata_version_without_license(tmp_path: Path, write_project) -> None:
    root = write_project(tmp_path / "p", '[project]\nname = "plain"\nversion = "1"', {"plain.py": ""})
    wheel = build(root, tmp_path / "dist", sdist=False).wheel
    raw = zipfile.ZipFile(wheel).read("plain-1.dist-info/METADATA")
    assert raw.startswith(b"Metadata-Version: 2.2\nName: plain\nVersion: 1\n")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_byte_identical_rebuilds(sample: Path, tmp_path: Path) -> None:
    first = build(sample, tmp_path / "one")
    (sample / "src/sample_project/cli.py").touch()  # a new mtime must not matter
    second = build(sample, tmp_path / "two")
    assert digest(first.sdist) == digest(second.sdist)
    assert digest(first.wheel) == digest(second.wheel)
    with tarfile.open(first.sdist) as archive:
        for member in archive.getmembers():
            assert (member.uid, member.gid, member.uname, member.gname) == (0, 0, "", "")
            assert member.mtime == 315532800 and member.mode in (0o644, 0o755)


def test_source_date_epoch(sample: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    wheel = build(sample, tmp_path, sdist=False).wheel
    assert zipfile.ZipFile(wheel).infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


def test_wheel_from_unpacked_sdist_is_identical(sample: Path, tmp_path: Path) -> None:
    result = build(sample, tmp_path / "dist")
    with tarfile.open(result.sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    again = build(tmp_path / "unpacked/sample_project-1.2.3", tmp_path / "again", sdist=False)
    assert digest(again.wheel) == digest(result.wheel)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True, capture_output=True)


def test_git_checkout_uses_tracked_files_and_names_a_missing_one(sample: Path, tmp_path: Path) -> None:
    git(sample, "init", "-q")
    git(sample, "add", "pyproject.toml", "README.md", "LICENSE", "src", ".env")
    (sample / "src/sample_project/untracked.py").write_text("x = 1\n")
    with pytest.raises(BuildError, match=r"package files missing from the sdist.*src/sample_project/untracked.py.*git add"):
        build(sample, tmp_path / "dist")
    assert not list((tmp_path / "dist").glob("*")) if (tmp_path / "dist").exists() else True
    git(sample, "add", "src/sample_project/untracked.py")
    result = build(sample, tmp_path / "dist")
    members = names(result.sdist)
    assert "sample_project-1.2.3/src/sample_project/untracked.py" in members
    assert "sample_project-1.2.3/tests/test_sample.py" not in members  # not tracked
    assert "sample_project-1.2.3/.env" not in members  # tracked, but a secret


def test_include_exclude_and_data_scheme(tmp_path: Path, write_project) -> None:
    root = write_project(tmp_path / "p", """
        [project]
        name = "withdata"
        version = "0.1"

        [tool.shipyard.sdist]
        include = [".env.example"]
        exclude = ["notes/**"]

        [tool.shipyard.wheel]
        exclude = ["withdata/tests/**"]

        [tool.shipyard.wheel.data]
        scripts = ["bin/*"]
        data = { "share/withdata" = ["share/*.json"] }
        """, {
        "withdata/__init__.py": "", "withdata/tests/test_x.py": "", "bin/withdata-tool": "#!/bin/sh\necho hi\n", "bin/pytool": "#!/usr/bin/env python3 -u\nprint(1)\n",
        "share/config.json": "{}", "notes/todo.txt": "x", ".env.example": "A=1",
    })
    (root / "bin/withdata-tool").chmod(0o755)
    result = build(root, tmp_path / "dist")
    sdist = names(result.sdist)
    assert "withdata-0.1/.env.example" in sdist and not any("notes/" in n for n in sdist)
    wheel = zipfile.ZipFile(result.wheel)
    assert "withdata/tests/test_x.py" not in wheel.namelist()
    script = wheel.getinfo("withdata-0.1.data/scripts/withdata-tool")
    assert script.external_attr >> 16 == 0o100755
    assert "withdata-0.1.data/data/share/withdata/config.json" in wheel.namelist()
    assert wheel.read("withdata-0.1.data/scripts/pytool") == b"#!python -u\nprint(1)\n"  # the installer fills it in
    assert wheel.read("withdata-0.1.data/scripts/withdata-tool").startswith(b"#!/bin/sh\n")
    assert wheel.getinfo("withdata-0.1.data/scripts/pytool").external_attr >> 16 == 0o100755


def test_two_files_to_one_wheel_path(tmp_path: Path, write_project) -> None:
    root = write_project(tmp_path / "p", """
        [project]
        name = "clash"
        version = "1"
        [tool.shipyard.wheel]
        include = ["clash/*.py"]
        """, {"src/clash/__init__.py": "", "clash/__init__.py": ""})
    with pytest.raises(BuildError, match="two files map to one wheel path 'clash/__init__.py': "
                                         "(src/clash/__init__.py and clash/__init__.py|clash/__init__.py and src/clash)"):
        build(root, tmp_path / "dist")


def test_failed_build_leaves_nothing(tmp_path: Path, write_project) -> None:
    root = write_project(tmp_path / "p", '[project]\nname = "bad"\nversion = "x"', {"bad.py": ""})
    out = tmp_path / "dist"
    out.mkdir()
    with pytest.raises(BuildError):
        build(root, out)
    assert list(out.iterdir()) == []
