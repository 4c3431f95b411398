"""A corpus of broken distributions, each one defect away from a good one shipyard built."""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = {
    "pyproject.toml": """\
[build-system]
requires = ["shipyard-core"]
build-backend = "shipyard_core.backend"

[project]
name = "corpus-demo"
version = "1.0"
description = "The good project the broken corpus derives from"
readme = "README.rst"
license = "MIT"
license-files = ["LICENSE"]
requires-python = ">=3.9"
classifiers = ["Programming Language :: Python :: 3"]
""",
    "README.rst": "Corpus demo\n===========\n\nA *good* project.\n",
    "LICENSE": "MIT License\n\nCopyright (c) 2026 Corpus\n",
    "src/corpus_demo/__init__.py": "from corpus_demo.util import VALUE\n",
    "src/corpus_demo/util.py": "VALUE = 1\n",
}
BAD_RST = "Title\n=====\n\nText\n\n.. bogus-directive:: x\n"

Files = dict[str, bytes]


def build_good(root: Path) -> tuple[Path, Path]:
    """The good project's (sdist, wheel), built by shipyard."""
    for name, text in PROJECT.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    subprocess.run([sys.executable, "-m", "shipyard", "build", str(root), "-o", str(root / "dist")],
                   check=True, capture_output=True)
    dist = root / "dist"
    return next(dist.glob("*.tar.gz")), next(dist.glob("*.whl"))


def _record(files: Files) -> bytes:
    dist_info = next(p.split("/")[0] for p in files if p.endswith(".dist-info/METADATA"))
    lines = []
    for path, data in files.items():
        if path != f"{dist_info}/RECORD":
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            lines.append(f"{path},sha256={digest},{len(data)}")
    return ("\n".join(lines) + f"\n{dist_info}/RECORD,,\n").encode()


def rewrite_wheel(source: Path, target: Path, edit: Callable[[Files], None], *, record: bool = True) -> Path:
    """A copy of the wheel `source` at `target` with `edit` applied (RECORD rewritten unless record=False)."""
    with zipfile.ZipFile(source) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    edit(files)
    record_path = next((p for p in files if p.endswith(".dist-info/RECORD")), None)
    if record and record_path:
        files[record_path] = _record(files)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(zipfile.ZipInfo(path, (2020, 1, 1, 0, 0, 0)), data)
    return target


def rewrite_sdist(source: Path, target: Path, edit: Callable[[Files], None]) -> Path:
    """A copy of the sdist `source` at `target` with `edit` applied to its files."""
    with tarfile.open(source) as archive:
        files = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}
    edit(files)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for path, data in files.items():
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), 1577836800, 0o644
            archive.addfile(info, io.BytesIO(data))
    return target


def _metadata(files: Files, change: Callable[[str], str]) -> None:
    path = next(p for p in files if p.endswith((".dist-info/METADATA", "/PKG-INFO")) and p.count("/") == 1)
    files[path] = change(files[path].decode()).encode()


def _replace(old: str, new: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        _metadata(files, lambda text: text.replace(old, new, 1))
    return edit


def _add_header(header: str) -> Callable[[Files], None]:
    return _replace("Classifier: ", f"{header}\nClassifier: ")


def _description(text: str) -> Callable[[Files], None]:
    return lambda files: _metadata(files, lambda meta: meta.split("\n\n", 1)[0] + "\n\n" + text)


def _add(path: str, data: bytes = b"") -> Callable[[Files], None]:
    return lambda files: files.__setitem__(path, data)


def _remove(suffix: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        for path in [p for p in files if p.endswith(suffix)]:
            del files[path]
    return edit


def _same_length_change(files: Files) -> None:
    files["corpus_demo/util.py"] = b"VALUE = 2\n"


def _rename_dist_info(files: Files) -> None:
    for path in list(files):
        if path.startswith("corpus_demo-1.0.dist-info/"):
            files[path.replace("corpus_demo-1.0.dist-info", "other_project-1.0.dist-info")] = files.pop(path)


def _deprecated_classifier() -> str:
    import trove_classifiers

    return next(iter(trove_classifiers.deprecated_classifiers))


@dataclass
class Case:
    """One broken file; `expected` are all the finding codes shipyard must report, and no others."""

    name: str
    path: Path
    expected: set[str]
    #: files checked alongside (the good wheel, for sdists whose rebuild is compared with it)
    alongside: list[Path] = field(default_factory=list)


def build_corpus(good_sdist: Path, good_wheel: Path, out: Path) -> list[Case]:
    wheel_name, sdist_name = good_wheel.name, good_sdist.name
    top = sdist_name[: -len(".tar.gz")]

    def wheel(name: str, edit: Callable[[Files], None], *, record: bool = True) -> Path:
        return rewrite_wheel(good_wheel, out / name / wheel_name, edit, record=record)

    def sdist(name: str, edit: Callable[[Files], None]) -> Path:
        return rewrite_sdist(good_sdist, out / name / sdist_name, edit)

    garbage = out / "wheel-not-a-zip" / wheel_name
    garbage.parent.mkdir(parents=True)
    garbage.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    return [
        Case("wheel: invalid Requires-Python", wheel("w-requires-python", _replace(">=3.9", ">=three")),
             {"metadata-invalid"}),
        Case("wheel: Name differs from file name", wheel("w-name", _replace("Name: corpus-demo", "Name: other-project")),
             {"name-mismatch"}),
        Case("wheel: Version differs from file name", wheel("w-version", _replace("Version: 1.0", "Version: 9.9")),
             {"version-mismatch"}),
        Case("wheel: README is broken RST", wheel("w-rst", _description(BAD_RST)), {"readme-render"}),
        Case("wheel: unknown classifier", wheel("w-classifier", _add_header("Classifier: Programming Language :: Cobol :: 85")),
             {"classifier-unknown"}),
        Case("wheel: deprecated classifier", wheel("w-deprecated", _add_header(f"Classifier: {_deprecated_classifier()}")),
             {"classifier-deprecated"}),
        Case("wheel: License :: classifier with an expression",
             wheel("w-license-classifier", _add_header("Classifier: License :: OSI Approved :: MIT License")),
             {"classifier-license"}),
        Case("wheel: invalid license expression", wheel("w-license-expr", _replace("License-Expression: MIT",
                                                                                   "License-Expression: MIT OR Nonsense-9")),
             {"metadata-invalid"}),
        Case("wheel: license file missing", wheel("w-license-file", _remove("/licenses/LICENSE")),
             {"license-file-missing"}),
        Case("wheel: RECORD hash wrong", wheel("w-record-hash", _same_length_change, record=False), {"record-hash"}),
        Case("wheel: file not in RECORD", wheel("w-record-unlisted", _add("corpus_demo/extra.py", b"X = 1\n"), record=False),
             {"record-unlisted"}),
        Case("wheel: RECORD missing", wheel("w-record-missing", _remove(".dist-info/RECORD"), record=False),
             {"record-missing"}),
        Case("wheel: bytecode inside", wheel("w-pyc", _add("corpus_demo/__pycache__/util.cpython-311.pyc", b"\x00" * 16)),
             {"wheel-bytecode"}),
        Case("wheel: compiled file in a pure wheel",
             wheel("w-compiled", _add("corpus_demo/_speed.cpython-311-x86_64-linux-gnu.so", b"\x7fELF")),
             {"compiled-in-pure"}),
        Case("wheel: top-level 'tests' package", wheel("w-tests", _add("tests/__init__.py")), {"toplevel-clash"}),
        Case("wheel: .dist-info named for another project", wheel("w-dist-info", _rename_dist_info),
             {"dist-info-name"}),
        Case("wheel: member path with '..'", wheel("w-dotdot", _add("../evil.py", b"import os\n")), {"unsafe-path"}),
        Case("wheel: not a zip archive", garbage, {"not-a-distribution"}),
        Case("sdist: no PKG-INFO", sdist("s-no-pkg-info", _remove("/PKG-INFO")), {"not-a-distribution"}),
        Case("sdist: no pyproject.toml (cannot be built)", sdist("s-no-pyproject", _remove("/pyproject.toml")),
             {"sdist-no-pyproject", "rebuild-failed"}),
        Case("sdist: two top folders", sdist("s-two-tops", _add("other/notes.txt", b"hi\n")), {"sdist-top-folder"}),
        Case("sdist: absolute member path", sdist("s-absolute", _add("/tmp/evil.txt", b"x")),
             {"unsafe-path", "sdist-top-folder"}),
        Case("sdist: member path with '..'", sdist("s-dotdot", _add(f"{top}/../evil.txt", b"x")), {"unsafe-path"}),
        Case("sdist: Version differs from file name", sdist("s-version", _replace("Version: 1.0", "Version: 2.0")),
             {"version-mismatch"}),
        Case("sdist: README is broken RST", sdist("s-rst", _description(BAD_RST)), {"readme-render"}),
        Case("sdist: license file missing", sdist("s-license-file", _remove(f"{top}/LICENSE")),
             {"license-file-missing"}),
        Case("sdist: lacks a module the wheel has", sdist("s-missing-module", _remove("/corpus_demo/util.py")),
             {"rebuild-files"}, [good_wheel]),
        Case("sdist: PKG-INFO disagrees with pyproject.toml (PEP 643)",
             sdist("s-pkg-info", _replace("Summary: The good project", "Summary: Another project")),
             {"rebuild-metadata"}),
        Case("sdist: pyproject.toml that does not build",
             sdist("s-unbuildable", _add(f"{top}/pyproject.toml", b'[project]\nname = "corpus-demo"\nversion = 1\n')),
             {"rebuild-failed"}),
    ]
