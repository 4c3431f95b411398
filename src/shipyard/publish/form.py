"""The upload form, field for field as twine sends it (warehouse's forklift reads it)."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version
from shipyard_core.distfile import DistFile

#: packaging's raw metadata name -> upload form field, where they differ
_RENAMED = {"platforms": "platform", "supported_platforms": "supported_platform", "license_files": "license_file"}
_FORM_FIELDS = (
    "metadata_version", "name", "version", "platforms", "summary", "description", "keywords", "home_page",
    "author", "author_email", "license", "supported_platforms", "download_url", "classifiers", "requires",
    "provides", "obsoletes", "maintainer", "maintainer_email", "requires_dist", "provides_dist", "obsoletes_dist",
    "requires_python", "requires_external", "project_urls", "description_content_type", "provides_extra",
    "dynamic", "license_expression", "license_files",
)
CHUNK = 64 * 1024


def form_fields(dist: DistFile) -> list[tuple[str, str]]:
    """Every metadata field, the file type and digests, the action and protocol version."""
    raw = dist.raw_metadata
    try:
        if Version(raw.get("metadata_version", "0")) < Version("2.4"):
            raw.pop("license_files", None)  # as twine: setuptools wrote License-File under 2.1
    except InvalidVersion:
        pass
    fields: list[tuple[str, str]] = []
    for key, value in raw.items():
        if key not in _FORM_FIELDS:
            continue
        name = _RENAMED.get(key, key)
        if key == "name":
            value = re.sub(r"[^A-Za-z0-9.]+", "-", value)  # pkg_resources.safe_name, as warehouse expects
        if isinstance(value, dict):
            fields += [(name, f"{label}, {url}") for label, url in value.items()]
        elif key == "keywords":
            fields.append((name, ", ".join(value)))
        elif isinstance(value, list):
            fields += [(name, item) for item in value]
        else:
            fields.append((name, value))
    sha256, blake2 = _digests(dist.path)
    pyversion = "source" if dist.kind == "sdist" else dist.filename[:-4].split("-")[-3]
    fields += [("pyversion", pyversion), ("filetype", "sdist" if dist.kind == "sdist" else "bdist_wheel"),
               ("sha256_digest", sha256), ("blake2_256_digest", blake2),
               (":action", "file_upload"), ("protocol_version", "1")]
    return fields


def _digests(path: Path) -> tuple[str, str]:
    sha256, blake2 = hashlib.sha256(), hashlib.blake2b(digest_size=32)
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            sha256.update(chunk)
            blake2.update(chunk)
    return sha256.hexdigest(), blake2.hexdigest()


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class MultipartBody:
    """multipart/form-data of the fields and the file as `content`, streamed in chunks."""

    fields: list[tuple[str, str]]
    path: Path
    boundary: str = ""

    def __post_init__(self) -> None:
        self.boundary = self.boundary or uuid.uuid4().hex
        head = b"".join(self._part(name, value.encode("utf-8")) for name, value in self.fields)
        head += (f'--{self.boundary}\r\nContent-Disposition: form-data; name="content"; '
                 f'filename="{_quote(self.path.name)}"\r\nContent-Type: application/octet-stream\r\n\r\n').encode()
        self._head = head
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.length = len(head) + self.path.stat().st_size + len(self._tail)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def _part(self, name: str, value: bytes) -> bytes:
        header = f'--{self.boundary}\r\nContent-Disposition: form-data; name="{_quote(name)}"\r\n\r\n'
        return header.encode() + value + b"\r\n"

    def chunks(self) -> Iterator[bytes]:
        """The body; safe to iterate again for a retry."""
        yield self._head
        with self.path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                yield chunk
        yield self._tail
