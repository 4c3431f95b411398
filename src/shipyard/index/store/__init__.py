"""The index's two storage interfaces: metadata (SQLAlchemy) and blobs (a directory)."""

from shipyard.index.store.blobs import BlobStore, LocalBlobStore
from shipyard.index.store.metadata import FileRecord, MetadataStore

__all__ = ["BlobStore", "FileRecord", "LocalBlobStore", "MetadataStore"]
