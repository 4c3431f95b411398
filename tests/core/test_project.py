"""The project model: every field read, every bad value refused with file, field and expectation."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from shipyard_core.errors import BuildError
from shipyard_core.project import load

MINIMAL = '[project]\nname = "demo"\nversion = "1.0"\n'


def test_sample_project_reads_every_field(sample: Path) -> None:
    project = load(sample)
    assert project.name == "Sample.Project"
    assert project.normalized_name == "sample-project"
    assert project.distribution_name == "sample_project"
    assert project.version == Version("1.2.3")
    assert project.source == "src" and project.packages == ["sample_project"]
    assert project.license_expression == "MIT OR Apache-2.0"
    assert project.license_files == ["LICENSE"]
    assert project.readme.content_type == "text/markdown"
    assert set(project.optional_dependencies) == {"cli", "fancy-output"}
    assert project.entry_points["console_scripts"] == {"sample-hello": "sample_project.cli:main"}
    assert project.entry_points["sample.plugins"] == {"basic": "sample_project.plugins:basic"}


@pytest.mark.parametrize(
    ("pyproject", "files", "expected"),
    [
        ("[project\nname = 'x'", {}, "pyproject.toml: is not valid TOML: Expected ']' at the end of a table declaration (at line 1"),
        ('[project]\nname = "-bad-"\nversion = "1"', {}, "[project].name: '-bad-' is not a valid project name"),
        ('[project]\nversion = "1"', {}, "[project].name: is required"),
        ('[project]\nname = "demo"\nversion = "one"', {}, "[project].version: 'one' is not a valid PEP 440 version"),
        ('[project]\nname = "demo"', {}, "[project].version: is required"),
        (MINIMAL + 'dependencies = ["requests >= "]', {}, "[project].dependencies: 'requests >= ' is not a valid PEP 508 requirement"),
        (MINIMAL + 'license = "MIT-ish"', {}, "[project].license: 'MIT-ish' is not a valid SPDX license expression"),
        (MINIMAL + 'classifiers = ["Programming Language :: Cobol :: 99"]', {}, "[project].classifiers: 'Programming Language :: Cobol :: 99' is not a known trove classifier"),
        (MINIMAL + 'license = "MIT"\nclassifiers = ["License :: OSI Approved :: MIT License"]', {}, "license classifiers cannot be combined with a license expression"),
        (MINIMAL + 'readme = "README.md"', {}, "[project].readme: file 'README.md' does not exist"),
        (MINIMAL + 'readme = "README.adoc"', {"README.adoc": "x"}, "[project].readme: cannot tell the content type of 'README.adoc'"),
        (MINIMAL + 'requires-python = "3.11+"', {}, "[project].requires-python: '3.11+' is not a valid version specifier"),
        (MINIMAL + 'authors = ["me"]', {}, "[project].authors[0]: expected a table with name and/or email"),
        (MINIMAL + 'colour = "blue"', {}, "[project].colour: unknown key"),
        (MINIMAL + '[project.scripts]\nx = "not a reference!"', {}, "[project].scripts.x: 'not a reference!': expected an object reference"),
        (MINIMAL + '[project.entry-points.console_scripts]\nx = "a:b"', {}, "[project].entry-points.console_scripts: is not allowed here: use [project.console-scripts]"),
        ('[project]\nname = "demo"\ndynamic = ["version"]', {"demo/__init__.py": "VERSION = 1\n"}, "version is dynamic but no __version__"),
        ('[project]\nname = "demo"\ndynamic = ["version"]', {"demo/__init__.py": "__version__ = get()\n"}, "demo/__init__.py: line 1: __version__ must be a string literal"),
        ('[project]\nname = "nothing-here"\nversion = "1"', {"a/__init__.py": "", "b/__init__.py": ""}, "cannot tell what to put in the wheel: no package nothing_here/ or module nothing_here.py, found a/, b/"),
        (MINIMAL + '[tool.shipyard]\npackages = ["missing"]', {}, "[tool.shipyard].packages: package 'missing' not found: expected a folder missing/"),
        (MINIMAL + '[tool.shipyard]\ncolour = 1', {"demo.py": ""}, "[tool.shipyard].colour: unknown key"),
        (MINIMAL + 'license-files = ["COPYING.txt"]', {"demo.py": ""}, "[project].license-files: file 'COPYING.txt' does not exist"),
    ],
)
def test_bad_input_is_named(tmp_path: Path, write_project, pyproject: str, files: dict, expected: str) -> None:
    files = {"demo.py": "", **files} if "name = \"demo\"" in pyproject and not any(k.startswith("demo/") for k in files) else files
    write_project(tmp_path, pyproject, files, backend=False)
    with pytest.raises(BuildError) as error:
        load(tmp_path)
    assert expected in str(error.value)


def test_missing_pyproject(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no pyproject.toml here"):
        load(tmp_path)


def test_license_table_form_and_text(tmp_path: Path, write_project) -> None:
    write_project(tmp_path, MINIMAL + 'license = {file = "COPYING"}', {"COPYING": "GPL text\n", "demo.py": ""}, backend=False)
    project = load(tmp_path)
    assert project.license_text == "GPL text\n" and project.license_files == ["COPYING"]


def test_discovers_flat_module_and_namespace_layouts(tmp_path: Path, write_project) -> None:
    flat = write_project(tmp_path / "flat", '[project]\nname = "single"\nversion = "1"', {"single.py": ""}, backend=False)
    assert load(flat).modules == ["single.py"]
    ns = write_project(tmp_path / "ns", '[project]\nname = "acme-tools"\nversion = "1"',
                       {"src/acme/tools/__init__.py": ""}, backend=False)
    project = load(ns)
    assert (project.source, project.packages) == ("src", ["acme/tools"])
