"""Reading legacy projects: the keyword mapping, normalization notes, setup.cfg, MANIFEST.in."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from shipyard_core.legacy import convert, load
from shipyard_core.manifest import manifest_files


def project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


@pytest.mark.parametrize("raw, expression, note", [
    ("MIT", "MIT", None),
    ("mit", "MIT", "'mit' is written as the SPDX expression 'MIT'"),
    ("Apache 2.0", "Apache-2.0", "SPDX expression 'Apache-2.0'"),
    ("MIT License", "MIT", "SPDX expression 'MIT'"),
    ("GPLv3+", "GPL-3.0-or-later", "SPDX expression 'GPL-3.0-or-later'"),
    ("BSD", None, "warning: license 'BSD' is not an SPDX expression"),
])
def test_license_normalization(tmp_path, raw, expression, note):
    root = project(tmp_path, {"m.py": "", "setup.py": f"from setuptools import setup\n"
                                                      f"setup(name='m', version='1', py_modules=['m'], license={raw!r})\n"})
    loaded = load(root)
    assert loaded.license_expression == expression
    if expression is None:
        assert loaded.license_text == raw
    if note:
        assert any(note in n for n in loaded.notes), loaded.notes


@pytest.mark.parametrize("raw, normalized", [("0.1dev", "0.1.dev0"), ("1.0-beta.2", "1.0b2"), ("2.0", "2.0"),
                                             ("1.0.0-rc1", "1.0.0rc1"), ("v3", "3")])
def test_version_normalization(tmp_path, raw, normalized):
    root = project(tmp_path, {"m.py": "", "setup.py": f"from distutils.core import setup\n"
                                                      f"setup(name='m', version={raw!r}, py_modules=['m'])\n"})
    conversion = convert(root)
    assert conversion.project["version"] == normalized
    assert any("PEP 440" in n for n in conversion.notes) == (raw != normalized)


@pytest.mark.parametrize("readme, content_type", [("README.txt", "text/plain"), ("README.md", "text/markdown"),
                                                  ("README.rst", "text/x-rst"), ("README", "text/plain")])
def test_readme_content_type_from_the_file(tmp_path, readme, content_type):
    root = project(tmp_path, {"m.py": "", readme: "Hello\n", "setup.py": f"""
        import io
        from setuptools import setup
        with io.open({readme!r}) as f:
            text = f.read()
        setup(name="m", version="1", py_modules=["m"], long_description=text)
    """})
    loaded = load(root)
    assert loaded.readme.content_type == content_type and loaded.readme.path == readme


def test_static_reading_does_not_run_setup_py(tmp_path, monkeypatch):
    root = project(tmp_path, {"m.py": "", "README.txt": "x\n", "setup.py": """
        from distutils.core import setup
        setup(name="m", version="1", py_modules=["m"], long_description=open("README.txt").read())
    """})
    monkeypatch.setattr("shipyard_core.legacy_setup_py._run", lambda root: pytest.fail("setup.py was run"))
    assert load(root).readme.path == "README.txt"


def test_every_common_keyword(tmp_path):
    root = project(tmp_path, {
        "pkg/__init__.py": "", "pkg/data/a.json": "{}", "bin/tool": "#!/usr/bin/env python\n", "share/x.cfg": "",
        "LICENSE": "MIT", "README.md": "# m\n",
        "setup.py": """
            from setuptools import setup, find_packages
            setup(
                name="every", version="1.0", description="All keywords",
                long_description=open("README.md").read(), long_description_content_type="text/markdown",
                author="A", author_email="a@example.org", maintainer="M", maintainer_email="m@example.org",
                url="https://e.org", download_url="https://e.org/dl", project_urls={"Docs": "https://e.org/docs"},
                license="MIT", license_files=["LICENSE"], classifiers=["Programming Language :: Python :: 3"],
                keywords="a b", platforms=["any"], packages=find_packages(), package_data={"pkg": ["data/*.json"]},
                include_package_data=True, data_files=[("share/every", ["share/x.cfg"])], scripts=["bin/tool"],
                entry_points={"console_scripts": ["every = pkg:main"], "every.plugins": ["a = pkg:main"]},
                install_requires=["packaging>=20"], extras_require={"x": ["rich"]}, python_requires=">=3.9",
                zip_safe=False, unknown_keyword=1,
            )
        """})
    conversion = convert(root)
    assert conversion.project == {
        "name": "every", "version": "1.0", "description": "All keywords", "readme": "README.md",
        "license": "MIT", "license-files": ["LICENSE"],
        "authors": [{"name": "A", "email": "a@example.org"}], "maintainers": [{"name": "M", "email": "m@example.org"}],
        "urls": {"Homepage": "https://e.org", "Download": "https://e.org/dl", "Docs": "https://e.org/docs"},
        "classifiers": ["Programming Language :: Python :: 3"], "keywords": ["a", "b"],
        "requires-python": ">=3.9", "dependencies": ["packaging>=20"], "optional-dependencies": {"x": ["rich"]},
        "scripts": {"every": "pkg:main"}, "entry-points": {"every.plugins": {"a": "pkg:main"}},
    }
    assert conversion.tool == {"packages": ["pkg"], "wheel": {"data": {
        "scripts": {"": ["bin/tool"]}, "data": {"share/every": ["share/x.cfg"]}}}}
    notes = "\n".join(conversion.notes)
    for keyword in ("platforms", "zip_safe", "unknown setup() keyword 'unknown_keyword'"):
        assert keyword in notes
    assert set(conversion.build_files) == {"setup.py"}


def test_setup_cfg_directives(tmp_path):
    root = project(tmp_path, {
        "src/pkg/__init__.py": "__version__ = '2.5'\n", "src/pkg/sub/__init__.py": "", "src/pkg/tests/__init__.py": "",
        "README.rst": "r\n", "CHANGES.rst": "c\n",
        "setup.cfg": """
            [metadata]
            name = pkg
            version = attr: pkg.__version__
            long_description = file: README.rst, CHANGES.rst
            keywords = one, two

            [options]
            package_dir =
                =src
            packages = find:
            install_requires =
                packaging
                rich; python_version >= "3.10"

            [options.packages.find]
            where = src
            exclude = *.tests

            [options.extras_require]
            test = pytest

            [options.entry_points]
            console_scripts =
                pkg = pkg:main
        """})
    conversion = convert(root)
    assert "version" not in conversion.project and conversion.project["dynamic"] == ["version"]
    assert any("__version__ in src/pkg/__init__.py" in note for note in conversion.notes)
    assert conversion.project["readme"] == {"text": "r\n\nc\n", "content-type": "text/x-rst"}
    assert conversion.project["keywords"] == ["one", "two"]
    assert conversion.project["dependencies"] == ["packaging", 'rich; python_version >= "3.10"']
    assert conversion.project["optional-dependencies"] == {"test": ["pytest"]}
    assert conversion.tool["source"] == "src" and conversion.tool["packages"] == ["pkg"]
    assert conversion.tool["wheel"] == {"exclude": ["pkg/tests/"]}
    loaded = load(root)
    assert loaded.packages == ["pkg"] and str(loaded.version) == "2.5"


def test_manifest_in_commands(tmp_path):
    (tmp_path / "MANIFEST.in").write_text(textwrap.dedent("""
        include *.txt
        recursive-include pkg *.html *.css
        graft docs
        prune docs/build
        global-exclude *.bak  # backups
        exclude skip.txt
    """))
    files = ["a.txt", "skip.txt", "sub/b.txt", "pkg/t/x.html", "pkg/y.css", "pkg/z.py", "docs/i.rst",
             "docs/build/o.html", "docs/old.bak"]
    assert manifest_files(tmp_path, files) == {"a.txt", "pkg/t/x.html", "pkg/y.css", "docs/i.rst"}


def test_setup_py_over_setup_cfg(tmp_path):
    root = project(tmp_path, {"m.py": "", "setup.cfg": "[metadata]\nname = m\nversion = 1.0\ndescription = cfg\n",
                              "setup.py": "from setuptools import setup\nsetup(description='py', py_modules=['m'])\n"})
    conversion = convert(root)
    assert conversion.project["description"] == "py" and conversion.project["version"] == "1.0"
    assert set(conversion.build_files) == {"setup.py", "setup.cfg"}


def test_package_data_for_every_package(tmp_path):
    root = project(tmp_path, {"pkg/__init__.py": "", "pkg/a.txt": "", "pkg/sub/__init__.py": "", "pkg/sub/b.txt": "",
                              "pkg/sub/c.dat": "", "setup.cfg": """
        [metadata]
        name = pkg
        version = 1

        [options]
        packages = pkg, pkg.sub

        [options.package_data]
        * = *.txt
    """})
    assert convert(root).tool["wheel"] == {"exclude": ["pkg/sub/c.dat"]}
