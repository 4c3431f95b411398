"""Bad legacy input: a clear error naming the file and the line, and nothing written."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from shipyard.migrate import migrate
from shipyard_core.errors import BuildError
from shipyard_core.legacy import UnsupportedLegacy, load


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


PACKAGE = {"bad/__init__.py": ""}

CASES = {
    "raises": ({"setup.py": """
        from setuptools import setup
        import os

        raise RuntimeError("configure me first")
        setup(name="bad", version="1")
    """}, ["setup.py", "line 4", "RuntimeError: configure me first"]),
    "never_calls_setup": ({"setup.py": """
        from distutils.core import setup

        options = dict(name="bad", version="1")
        print("forgot to call setup", options)
    """}, ["setup.py", "never called setup()"]),
    "exits_early": ({"setup.py": """
        import sys
        from setuptools import setup

        sys.exit("Python 2 is required")
        setup(name="bad")
    """}, ["setup.py", "line 4", "exited with status"]),
    "syntax_error": ({"setup.py": "from setuptools import setup\nsetup(name='bad',\n"},
                     ["setup.py", "line 2", "not valid Python"]),
    "missing_readme": ({"setup.py": """
        from setuptools import setup

        NAME = "bad"
        setup(name=NAME, version="1", packages=["bad"], long_description=open("README.rst").read())
    """}, ["setup.py", "line 4", "FileNotFoundError", "README.rst"]),
    "static_missing_readme": ({"setup.py": """
        from setuptools import setup

        setup(
            name="bad",
            version="1",
            long_description=open("README.md").read(),
        )
    """}, ["setup.py", "line 6", "README.md", "does not exist"]),
    "latin1_readme": ({"setup.py": """
        from setuptools import setup

        setup(name="bad", version="1", packages=["bad"], long_description=open("README.txt").read())
    """, "README.txt": "caf\xe9 \xff".encode("latin-1")}, ["setup.py", "line 3", "README.txt", "UTF-8"]),
    "cfg_unknown_key": ({"setup.cfg": """
        [metadata]
        name = bad
        version = 1.0
        home-page = https://example.org
    """}, ["setup.cfg", "line 4", "unknown key 'home-page'"]),
    "cfg_unknown_section": ({"setup.cfg": """
        [metadata]
        name = bad
        version = 1.0

        [options.package-data]
        bad = *.txt
    """}, ["setup.cfg", "line 6", "unknown section [options.package-data]"]),
    "cfg_missing_file": ({"setup.cfg": """
        [metadata]
        name = bad
        version = 1.0
        long_description = file: README.md
    """}, ["setup.cfg", "line 4", "README.md", "does not exist"]),
    "cfg_attr_not_literal": ({"setup.cfg": """
        [metadata]
        name = bad
        version = attr: bad.VERSION
    """, "bad/__init__.py": "VERSION = compute()\n"}, ["setup.cfg", "line 3", "VERSION"]),
    "bad_version": ({"setup.py": "from setuptools import setup\nsetup(name='bad', version='one point oh')\n"},
                    ["setup.py", "line 2", "not a valid PEP 440 version"]),
    "no_name": ({"setup.py": "from setuptools import setup\nsetup(version='1.0')\n"}, ["name", "is missing"]),
    "missing_package": ({"setup.py": "from setuptools import setup\nsetup(name='bad', version='1', packages=['nope'])\n"},
                        ["setup.py", "line 2", "package 'nope'"]),
    "bad_requirement": ({"setup.py": """
        from setuptools import setup
        setup(name="bad", version="1", packages=["bad"],
              install_requires=["requests >>> 2"])
    """}, ["setup.py", "install_requires", "line 3", "requests >>> 2"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_clear_error_and_nothing_written(case, tmp_path):
    files, expected = CASES[case]
    root = write(tmp_path / "project", {**PACKAGE, **files})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    with pytest.raises(BuildError) as info:
        load(root)
    message = str(info.value)
    for part in expected:
        assert part in message, message
    with pytest.raises(BuildError):
        migrate(root)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


@pytest.mark.slow
def test_setup_py_that_loops_is_stopped_with_its_line(tmp_path, monkeypatch, shipyard):
    root = write(tmp_path / "project", {**PACKAGE, "setup.py": """
        from setuptools import setup

        while True:
            pass
        setup(name="bad", version="1")
    """})
    monkeypatch.setenv("SHIPYARD_SETUP_PY_TIMEOUT", "1.5")
    result = shipyard("build", root, check=False)
    assert result.returncode == 1
    assert re.search(r"setup\.py: line [34]: did not finish within 1\.5 s", result.stderr), result.stderr
    assert not (root / "dist").exists() or not any((root / "dist").iterdir())


@pytest.mark.parametrize("keyword, code", [
    ("ext_modules", "from setuptools import Extension\next_modules=[Extension('bad._speed', ['bad/speed.c'])]"),
    ("cmdclass", "from setuptools.command.build_py import build_py\n\n\nclass Build(build_py):\n    pass\n\n\n"
                 "cmdclass={'build_py': Build}"),
    ("setup_requires", "setup_requires=['setuptools_scm>=8']"),
    ("package_dir", "package_dir={'bad': 'lib'}"),
])
def test_what_only_setuptools_builds_is_named(keyword, code, tmp_path):
    lines = code.split("\n")
    imports, value = "\n".join(lines[:-1]), lines[-1]
    root = write(tmp_path / "project", {**PACKAGE, "lib/__init__.py": "", "setup.py":
                 f"from setuptools import setup\n{imports}\nsetup(name='bad', version='1', packages=['bad'], {value})\n"})
    with pytest.raises(UnsupportedLegacy) as info:
        load(root)
    assert keyword in str(info.value) and "setup.py" in str(info.value)


def test_cli_prints_one_error_line(tmp_path, shipyard):
    root = write(tmp_path / "project", {**PACKAGE, "setup.cfg": "[metadata]\nname = bad\nversion = 1\nhomepage = x\n"})
    result = shipyard("migrate", root, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: setup.cfg: line 4: unknown key 'homepage'")
    assert not (root / "pyproject.toml").exists()
