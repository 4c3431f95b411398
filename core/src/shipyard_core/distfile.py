"""Read and validate a built distribution (sdist or wheel) without extracting it.

This is the one place that decides whether a distribution file is acceptable: `build`
checks what it wrote with it, `check` reports its findings, `publish` reads the upload form
from it, and the index's upload path refuses what it calls an error. Reading never writes
to disk, follows size limits (so a zip or gzip bomb is refused, not inflated), and refuses
member paths that are absolute or climb out with `..`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Literal

from packaging.metadata import InvalidMetadata, Metadata, parse_email
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from shipyard_core.archive import record_hash
from shipyard_core.errors import ShipyardError

Kind = Literal["sdist", "wheel"]
Severity = Literal["error", "warning"]

#: Limits for reading an untrusted file; an index may pass its own.
MAX_METADATA_BYTES = 4 * 1024 * 1024
MAX_MEMBERS = 100_000
MAX_UNPACKED_BYTES = 4 * 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

#: Top-level names so common that two wheels installing them overwrite each other.
COMMON_TOP_LEVEL = frozenset({"tests", "test", "docs", "src", "examples"})
#: Suffixes of compiled code, which a wheel tagged for any platform must not carry.
_COMPILED = re.compile(r"\.(pyd|dll|dylib|so(\.\d+)*)$")


class DistError(ShipyardError):
    """The file cannot be read as a distribution at all."""


@dataclass(frozen=True)
class Member:
    """One entry of the archive, as its path relative to the archive root."""

    path: str
    size: int
    is_file: bool
    is_link: bool = False
    is_dir: bool = False


@dataclass(frozen=True)
class Finding:
    """One problem: a stable code, its severity, and a sentence a user can act on."""

    code: str
    severity: Severity
    message: str
    path: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.severity} [{self.code}] {where}{self.message}"


@dataclass
class DistFile:
    """What was read from one distribution file."""

    path: Path
    kind: Kind
    name: str  #: normalized project name, from the file name
    version: Version  #: from the file name
    metadata_path: str  #: archive path of METADATA / PKG-INFO
    metadata_bytes: bytes
    members: list[Member]
    sha256: str
    size: int
    findings: list[Finding] = field(default_factory=list)
    #: wheel only: RECORD and WHEEL contents, and every member's (sha256, size) as read
    record: bytes | None = None
    wheel_file: bytes | None = None
    digests: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: sdist only: pyproject.toml as found at the top
    pyproject: bytes | None = None

    @property
    def filename(self) -> str:
        return self.path.name

    @property
    def raw_metadata(self) -> dict:
        """The metadata as packaging reads it, unvalidated (field -> value)."""
        raw, _ = parse_email(self.metadata_bytes)
        return raw

    def metadata(self) -> Metadata:
        """The metadata as packaging reads it (call after `read`, which validated it)."""
        return Metadata.from_email(self.metadata_bytes, validate=False)

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def parse_filename(filename: str) -> tuple[Kind, str, Version]:
    """Kind, normalized name and version from a distribution file name; DistError if invalid."""
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
            return "wheel", canonicalize_name(name), version
        if filename.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(filename)
            return "sdist", canonicalize_name(name), version
    except (InvalidWheelFilename, InvalidSdistFilename) as exc:
        raise DistError(f"not a valid distribution file name: {exc}", file=filename) from None
    raise DistError("not a distribution: expected a .whl or .tar.gz file name", file=filename)


def read(path: str | Path, *, max_unpacked: int = MAX_UNPACKED_BYTES) -> DistFile:
    """Read a distribution and validate it; problems land in `.findings`.

    Raises DistError only when the file is not a readable distribution at all (wrong name,
    not an archive, no metadata, a bomb).
    """
    path = Path(path)
    kind, name, version = parse_filename(path.name)
    data = path.read_bytes()
    reader = _read_wheel if kind == "wheel" else _read_sdist
    dist = reader(path, data, name, version, max_unpacked)
    dist.findings.extend(validate(dist))
    return dist


# --- reading -----------------------------------------------------------------------------


def _safe_member(path: str, filename: str) -> str | None:
    """A problem sentence when an archive member path could escape its target."""
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        return f"absolute member path {path!r}"
    if "\\" in path:
        return f"backslash in member path {path!r}"
    if ".." in PurePosixPath(path).parts:
        return f"member path {path!r} climbs out with '..'"
    return None


def _read_wheel(path: Path, data: bytes, name: str, version: Version, max_unpacked: int) -> DistFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DistError(f"not a zip archive ({exc})", file=path.name) from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise DistError(f"too many members ({len(infos)} > {MAX_MEMBERS})", file=path.name)
    total = sum(info.file_size for info in infos)
    if total > max_unpacked or total > MAX_COMPRESSION_RATIO * max(len(data), 1) + 1024 * 1024:
        raise DistError(f"unpacks to {total} bytes from {len(data)}: refused as a zip bomb", file=path.name)
    findings: list[Finding] = []
    members: list[Member] = []
    for info in infos:
        problem = _safe_member(info.filename, path.name)
        if problem:
            findings.append(Finding("unsafe-path", "error", problem, info.filename))
        members.append(Member(info.filename, info.file_size, not info.is_dir(), is_dir=info.is_dir()))
    dist_info = _dist_info_dir(members)
    if dist_info is None:
        raise DistError("no .dist-info directory with a METADATA file", file=path.name)
    metadata_path = f"{dist_info}/METADATA"
    digests: dict[str, tuple[str, int]] = {}
    for info in infos:
        if info.is_dir():
            continue
        with archive.open(info) as stream:
            content = _read_limited(stream, info.file_size, path.name, info.filename)
        digests[info.filename] = (record_hash(hashlib.sha256(content).digest()), len(content))
    metadata_bytes = archive.read(metadata_path)
    if len(metadata_bytes) > MAX_METADATA_BYTES:
        raise DistError("METADATA is larger than 4 MiB", file=path.name)

    def optional(member: str) -> bytes | None:
        try:
            return archive.read(member)
        except KeyError:
            return None

    return DistFile(
        path=path, kind="wheel", name=name, version=version, metadata_path=metadata_path,
        metadata_bytes=metadata_bytes, members=members, sha256=hashlib.sha256(data).hexdigest(),
        size=len(data), findings=findings, record=optional(f"{dist_info}/RECORD"),
        wheel_file=optional(f"{dist_info}/WHEEL"), digests=digests,
    )


def _read_limited(stream: IO[bytes], declared: int, filename: str, member: str) -> bytes:
    content = stream.read(declared + 1)
    if len(content) > declared:
        raise DistError(f"member {member} is larger than its header says", file=filename)
    return content


def _dist_info_dir(members: list[Member]) -> str | None:
    for member in members:
        parts = member.path.split("/")
        if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
            return parts[0]
    return None


def _read_sdist(path: Path, data: bytes, name: str, version: Version, max_unpacked: int) -> DistFile:
    if path.name.endswith(".zip"):
        raise DistError("zip sdists are no longer accepted by PyPI: expected a .tar.gz (PEP 625)", file=path.name)
    findings: list[Finding] = []
    members: list[Member] = []
    wanted: dict[str, bytes] = {}
    unpacked = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r|gz") as archive:
            for info in archive:
                if len(members) >= MAX_MEMBERS:
                    raise DistError(f"too many members (> {MAX_MEMBERS})", file=path.name)
                unpacked += info.size
                if unpacked > max_unpacked or unpacked > MAX_COMPRESSION_RATIO * max(len(data), 1) + 1024 * 1024:
                    raise DistError(f"unpacks to more than {unpacked} bytes: refused as a gzip bomb", file=path.name)
                member_path = info.name.rstrip("/")
                problem = _safe_member(info.name, path.name)
                if problem:
                    findings.append(Finding("unsafe-path", "error", problem, info.name))
                if info.issym() or info.islnk():
                    findings.append(Finding("link-member", "error", f"links are not allowed in an sdist ({info.linkname!r})", info.name))
                elif not (info.isfile() or info.isdir()):
                    findings.append(Finding("special-member", "error", "only regular files and directories are allowed", info.name))
                members.append(Member(member_path, info.size, info.isfile(), info.issym() or info.islnk(), info.isdir()))
                parts = member_path.split("/")
                if info.isfile() and len(parts) == 2 and parts[1] in ("PKG-INFO", "pyproject.toml"):
                    if info.size > MAX_METADATA_BYTES:
                        raise DistError(f"{member_path} is larger than 4 MiB", file=path.name)
                    stream = archive.extractfile(info)
                    wanted[member_path] = stream.read() if stream else b""
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise DistError(f"not a gzipped tar archive ({exc})", file=path.name) from None
    tops = {m.path.split("/")[0] for m in members}
    top = f"{path.name[: -len('.tar.gz')]}"
    metadata_path = f"{top}/PKG-INFO"
    if metadata_path not in wanted:
        candidates = [p for p in wanted if p.endswith("/PKG-INFO")]
        if not candidates:
            raise DistError("no PKG-INFO at the top of the archive", file=path.name)
        metadata_path = candidates[0]
        findings.append(Finding("sdist-top-folder", "error",
                                f"the top folder should be {top!r} (PEP 625), found {metadata_path.split('/')[0]!r}"))
    if len(tops) > 1:
        findings.append(Finding("sdist-top-folder", "error",
                                f"all members must be inside one top folder, found {sorted(tops)}"))
    pyproject = wanted.get(f"{metadata_path.split('/')[0]}/pyproject.toml")
    return DistFile(
        path=path, kind="sdist", name=name, version=version, metadata_path=metadata_path,
        metadata_bytes=wanted[metadata_path], members=members,
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), findings=findings, pyproject=pyproject,
    )


# --- validation ----------------------------------------------------------------------------


def _metadata_problems(exc: Exception) -> list[str]:
    if isinstance(exc, ExceptionGroup):
        return [str(e) for e in exc.exceptions]
    return [str(exc)]


def validate(dist: DistFile) -> list[Finding]:
    """The findings every consumer agrees on: metadata, names, RECORD, layout."""
    findings = _validate_metadata(dist)
    findings += _validate_classifiers(dist)
    findings += _validate_license_files(dist)
    if dist.kind == "wheel":
        findings += _validate_wheel(dist)
        findings += _validate_wheel_contents(dist)
    elif dist.pyproject is None:
        findings.append(Finding("sdist-no-pyproject", "warning",
                                "no pyproject.toml at the top: build frontends fall back to setuptools"))
    return findings


def _validate_metadata(dist: DistFile) -> list[Finding]:
    where = dist.metadata_path
    findings: list[Finding] = []
    try:
        metadata = Metadata.from_email(dist.metadata_bytes, validate=True)
    except (ExceptionGroup, InvalidMetadata) as exc:
        for problem in _metadata_problems(exc):
            # Fields written before their metadata version was declared (License-File in
            # 2.1, as older setuptools did) are accepted by PyPI: a warning, not an error.
            tolerated = "introduced in metadata version" in problem
            findings.append(Finding("metadata-field-too-new" if tolerated else "metadata-invalid",
                                    "warning" if tolerated else "error", problem, where))
        if any(f.severity == "error" for f in findings):
            return findings
        metadata = Metadata.from_email(dist.metadata_bytes, validate=False)
    except (UnicodeDecodeError, ValueError) as exc:
        return [Finding("metadata-invalid", "error", f"cannot be parsed: {exc}", where)]
    if canonicalize_name(metadata.name) != dist.name:
        findings.append(Finding("name-mismatch", "error",
                                f"Name {metadata.name!r} does not match the file name's {dist.name!r}", where))
    if metadata.version != dist.version:
        findings.append(Finding("version-mismatch", "error",
                                f"Version {metadata.version} does not match the file name's {dist.version}", where))
    return findings


def _validate_wheel(dist: DistFile) -> list[Finding]:
    findings: list[Finding] = []
    dist_info = dist.metadata_path.rsplit("/", 1)[0]
    stem_name, _, stem_version = dist_info[: -len(".dist-info")].rpartition("-")
    try:
        same_version = Version(stem_version) == dist.version
    except InvalidVersion:
        same_version = False
    if canonicalize_name(stem_name) != dist.name or not same_version:
        findings.append(Finding("dist-info-name", "error", f"{dist_info} does not match {dist.name} {dist.version}"))
    if dist.wheel_file is None:
        findings.append(Finding("wheel-file-missing", "error", f"{dist_info}/WHEEL is missing"))
    if dist.record is None:
        findings.append(Finding("record-missing", "error", f"{dist_info}/RECORD is missing"))
        return findings
    record_path = f"{dist_info}/RECORD"
    recorded: dict[str, tuple[str, str]] = {}
    try:
        for row in csv.reader(io.StringIO(dist.record.decode("utf-8"))):
            if not row:
                continue
            if len(row) != 3:
                findings.append(Finding("record-invalid", "error", f"row {row!r} does not have 3 fields", record_path))
                continue
            recorded[row[0]] = (row[1], row[2])
    except (UnicodeDecodeError, csv.Error) as exc:
        return findings + [Finding("record-invalid", "error", f"cannot be read: {exc}", record_path)]
    for member, (digest, size) in dist.digests.items():
        if member == record_path or member.startswith(f"{dist_info}/RECORD."):
            continue
        if member not in recorded:
            findings.append(Finding("record-unlisted", "error", "file is not listed in RECORD", member))
            continue
        want_digest, want_size = recorded[member]
        if not want_digest.startswith("sha256=") and not want_digest.startswith(("sha384=", "sha512=")):
            findings.append(Finding("record-hash", "error", f"RECORD has no sha256 hash ({want_digest!r})", member))
        elif want_digest.startswith("sha256=") and want_digest != digest:
            findings.append(Finding("record-hash", "error", "sha256 in RECORD does not match the file", member))
        if want_size and want_size != str(size):
            findings.append(Finding("record-size", "error", f"RECORD says {want_size} bytes, the file has {size}", member))
    for member in recorded:
        if member not in dist.digests and member != record_path:
            findings.append(Finding("record-missing-file", "error", "listed in RECORD but not in the wheel", member))
    return findings


def _raw_field(dist: DistFile, name: str) -> list[str] | str | None:
    try:
        return dist.raw_metadata.get(name)
    except (UnicodeDecodeError, ValueError):
        return None  # _validate_metadata reports an unreadable file


def _validate_classifiers(dist: DistFile) -> list[Finding]:
    """Classifiers PyPI refuses: unknown or deprecated ones, and License :: beside an expression."""
    classifiers = _raw_field(dist, "classifiers") or []
    try:
        import trove_classifiers
    except ImportError:  # shipyard-core alone depends on packaging only
        return []
    where = dist.metadata_path
    findings: list[Finding] = []
    for classifier in classifiers:
        if classifier.startswith("Private ::"):
            findings.append(Finding("classifier-private", "warning",
                                    f"{classifier!r} is private: PyPI refuses uploads carrying it", where))
        elif classifier in trove_classifiers.deprecated_classifiers:
            instead = trove_classifiers.deprecated_classifiers[classifier]
            hint = f"; use {', '.join(map(repr, instead))}" if instead else ""
            findings.append(Finding("classifier-deprecated", "error", f"{classifier!r} is deprecated{hint}", where))
        elif classifier not in trove_classifiers.classifiers:
            findings.append(Finding("classifier-unknown", "error",
                                    f"{classifier!r} is not a known trove classifier", where))
        elif classifier.startswith("License ::") and _raw_field(dist, "license_expression"):
            findings.append(Finding("classifier-license", "error",
                                    f"{classifier!r} beside License-Expression: PEP 639 license "
                                    "expressions replace License :: classifiers, remove it", where))
    return findings


def _validate_license_files(dist: DistFile) -> list[Finding]:
    """Every License-File (metadata 2.4, PEP 639) is in the distribution where it belongs."""
    license_files = _raw_field(dist, "license_files") or []
    version = _raw_field(dist, "metadata_version") or "0"
    try:
        if not license_files or Version(version) < Version("2.4"):
            return []  # before 2.4 (older setuptools) License-File had no agreed meaning
    except InvalidVersion:
        return []
    if dist.kind == "wheel":
        base = f"{dist.metadata_path.rsplit('/', 1)[0]}/licenses"
        present = set(dist.digests)
    else:
        base = dist.metadata_path.split("/")[0]
        present = {m.path for m in dist.members if m.is_file}
    return [Finding("license-file-missing", "error", f"License-File {name!r} is not in the distribution "
                    f"(expected {base}/{name})", dist.metadata_path)
            for name in license_files if f"{base}/{name}" not in present]


def _installed_path(member: str) -> str:
    """Where a wheel member lands relative to site-packages (purelib/platlib data included)."""
    parts = member.split("/")
    if len(parts) > 2 and parts[0].endswith(".data") and parts[1] in ("purelib", "platlib"):
        return "/".join(parts[2:])
    return member


def _validate_wheel_contents(dist: DistFile) -> list[Finding]:
    """Bytecode, compiled code in a pure wheel, and top-level names that clash."""
    findings: list[Finding] = []
    files = [m.path for m in dist.members if m.is_file]
    bytecode = [p for p in files if p.endswith((".pyc", ".pyo")) or "__pycache__" in p.split("/")]
    if bytecode:
        findings.append(Finding("wheel-bytecode", "warning", f"{len(bytecode)} bytecode file(s) "
                                "(__pycache__, .pyc): installers compile their own; leave them out",
                                bytecode[0]))
    try:
        tags = parse_wheel_filename(dist.filename)[3]
    except InvalidWheelFilename:
        tags = frozenset()
    if tags and all(tag.platform == "any" for tag in tags):
        compiled = [p for p in files if _COMPILED.search(p)]
        if compiled:
            findings.append(Finding("compiled-in-pure", "error", f"{len(compiled)} compiled file(s) in a wheel "
                                    "tagged for any platform: build a platform wheel instead", compiled[0]))
    clashing: dict[str, str] = {}
    for path in files:
        installed = _installed_path(path).split("/")
        top = installed[0] if len(installed) > 1 else installed[0].removesuffix(".py")
        if top in COMMON_TOP_LEVEL and top not in clashing and not top.endswith((".dist-info", ".data")):
            clashing[top] = path
    findings += [Finding("toplevel-clash", "warning", f"installs a top-level {top!r}, a name other "
                         "distributions use too: one overwrites the other in site-packages", path)
                 for top, path in clashing.items()]
    return findings
