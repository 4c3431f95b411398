"""The legacy upload API (``POST /legacy/``), as twine, uv publish and shipyard publish speak it.

The distribution is read from the uploaded bytes themselves (shipyard_core.distfile, no
extraction, with limits); the form must agree with it, the digests must match, the file
name must be new (deleted names stay taken), and the uploader must be allowed on the
project. The file is stored atomically before the database commit that makes it visible.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name, canonicalize_version

from shipyard.index.auth import Identity, may_upload
from shipyard.index.readme import render
from shipyard.index.store.blobs import BlobStore, blob_key
from shipyard.index.store.metadata import Conflict, FileRecord, MetadataStore

FILETYPES = {"bdist_wheel": "wheel", "sdist": "sdist"}


class UploadError(Exception):
    """A refused upload: HTTP status and the sentence the client shows."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Incoming:
    """The form of one upload, with the file already spooled to `path`."""

    fields: dict[str, str]
    filename: str
    path: Path


def check_filename(filename: str) -> None:
    """Refuse names that could be paths before anything touches the disk."""
    if not filename or "/" in filename or "\\" in filename or ".." in filename or filename.startswith(".") or "\0" in filename:
        raise UploadError(400, f"Invalid file name {filename!r}: it must be a plain distribution file name")


def _digests(path: Path) -> dict[str, str]:
    sha256, md5, blake2 = hashlib.sha256(), hashlib.md5(usedforsecurity=False), hashlib.blake2b(digest_size=32)
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            sha256.update(chunk)
            md5.update(chunk)
            blake2.update(chunk)
    return {"sha256": sha256.hexdigest(), "md5": md5.hexdigest(), "blake2_256": blake2.hexdigest()}


def _verify_digests(fields: dict[str, str], digests: dict[str, str]) -> None:
    given = {"sha256": fields.get("sha256_digest"), "md5": fields.get("md5_digest"),
             "blake2_256": fields.get("blake2_256_digest")}
    if not any(given.values()):
        raise UploadError(400, "Invalid upload: a sha256_digest (or md5/blake2_256) is required")
    for kind, value in given.items():
        if value and value.strip().lower() != digests[kind]:
            raise UploadError(400, f"Invalid upload: the {kind} digest does not match the file's content")


def _info(metadata) -> dict:
    """Core metadata in the JSON API's naming."""
    keywords = metadata.keywords or []
    return {
        "name": metadata.name,
        "version": str(metadata.version),
        "summary": metadata.summary,
        "description": metadata.description or "",
        "description_content_type": metadata.description_content_type,
        "author": metadata.author,
        "author_email": metadata.author_email,
        "maintainer": metadata.maintainer,
        "maintainer_email": metadata.maintainer_email,
        "license": metadata.license,
        "license_expression": metadata.license_expression,
        "license_files": metadata.license_files,
        "keywords": ",".join(keywords),
        "classifiers": metadata.classifiers or [],
        "platform": metadata.platforms,
        "home_page": metadata.home_page,
        "download_url": metadata.download_url,
        "project_urls": metadata.project_urls or None,
        "requires_dist": [str(r) for r in metadata.requires_dist] if metadata.requires_dist else None,
        "requires_python": str(metadata.requires_python) if metadata.requires_python else None,
        "provides_extra": [str(e) for e in metadata.provides_extra] if metadata.provides_extra else None,
        "dynamic": metadata.dynamic,
    }


def accept(store: MetadataStore, blobs: BlobStore, identity: Identity, upload: Incoming, max_unpacked: int) -> str:
    """Validate and store one upload; returns a short success message, raises UploadError."""
    from shipyard_core import distfile

    fields, filename = upload.fields, upload.filename
    action = fields.get(":action", "file_upload")
    if action != "file_upload":
        raise UploadError(400, f"Unsupported action {action!r}: only file_upload is accepted")
    try:
        kind, name, version = distfile.parse_filename(filename)
    except distfile.DistError as exc:
        raise UploadError(400, f"Invalid file name: {exc.message}") from None
    form_name = fields.get("name", "")
    if not form_name or canonicalize_name(form_name) != name:
        raise UploadError(400, f"Invalid upload: form name {form_name!r} does not match the file name's {name!r}")
    if canonicalize_version(fields.get("version", ""), strip_trailing_zero=False) != canonicalize_version(version, strip_trailing_zero=False):
        raise UploadError(400, f"Invalid upload: form version {fields.get('version')!r} does not match the file name's {version}")
    filetype = fields.get("filetype")
    if filetype and FILETYPES.get(filetype) != kind:
        raise UploadError(400, f"Invalid upload: filetype {filetype!r} does not match a {kind} file")
    digests = _digests(upload.path)
    _verify_digests(fields, digests)
    project = store.project(name)
    refusal = may_upload(store, identity, project)
    if refusal:
        raise UploadError(403, f"Forbidden: {refusal}")
    if store.filename_taken(filename):
        raise UploadError(400, f"File already exists: {filename!r} was uploaded before (or deleted); "
                               "a published file name is never reused")
    try:
        dist = distfile.read(upload.path, max_unpacked=max_unpacked)
    except distfile.DistError as exc:
        raise UploadError(400, f"Invalid distribution: {exc.message}") from None
    errors = dist.errors()
    if errors:
        raise UploadError(400, "Invalid distribution: " + "; ".join(str(e) for e in errors))
    metadata = dist.metadata()
    key = blob_key(digests["sha256"], filename)
    metadata_sha256 = None
    if kind == "wheel":  # PEP 658: an sdist's PKG-INFO may leave fields dynamic, so only wheels
        metadata_sha256 = hashlib.sha256(dist.metadata_bytes).hexdigest()
        blobs.put_bytes(key + ".metadata", dist.metadata_bytes)
    blobs.put_file(key, upload.path)
    info = _info(metadata)
    python_version = "source" if kind == "sdist" else filename[:-4].split("-")[-3]
    record = FileRecord(filename=filename, packagetype="sdist" if kind == "sdist" else "bdist_wheel",
                        python_version=python_version, requires_python=info["requires_python"], size=dist.size,
                        sha256=digests["sha256"], md5=digests["md5"], blake2_256=digests["blake2_256"],
                        metadata_sha256=metadata_sha256)
    try:
        created = store.add_file(name=name, display_name=metadata.name, version=str(metadata.version),
                                 canonical_version=canonicalize_version(metadata.version, strip_trailing_zero=False),
                                 info=info, description_html=render(info["description"], info["description_content_type"]),
                                 record=record, uploader_id=identity.user_id)
    except PermissionError as exc:
        _discard(store, blobs, digests["sha256"], filename)
        raise UploadError(403, f"Forbidden: {exc}") from None
    except Conflict:
        _discard(store, blobs, digests["sha256"], filename)
        raise UploadError(400, f"File already exists: {filename!r} was uploaded before") from None
    return f"OK: stored {filename}" + (f"; registered project {metadata.name!r} to {identity.user!r}" if created else "")


def _discard(store: MetadataStore, blobs: BlobStore, sha256: str, filename: str) -> None:
    """Remove blobs written for an upload the database refused, unless a record uses them."""
    if not store.file_exists(sha256, filename):
        key = blob_key(sha256, filename)
        blobs.delete(key)
        blobs.delete(key + ".metadata")
