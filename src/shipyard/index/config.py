"""Where an index keeps its data and how it behaves: one settings object for app and CLI."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

#: Environment variable through which `shipyard serve` hands settings to its workers.
ENV_VAR = "SHIPYARD_INDEX_SETTINGS"
DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024


def default_data_dir() -> Path:
    """The user's data directory for the index (created on first start)."""
    from platformdirs import user_data_path

    return user_data_path("shipyard", appauthor=False) / "index"


@dataclass(frozen=True)
class Settings:
    """An index's settings: data directory, database URL, blob directory, policy."""

    data: Path
    database: str | None = None  #: SQLAlchemy URL; default SQLite in `data`
    blobs: Path | None = None  #: default `data/files`
    private: bool = False  #: require authentication for every request
    max_upload: int = DEFAULT_MAX_UPLOAD  #: bytes, per uploaded file

    @classmethod
    def make(cls, data: str | Path | None = None, **kwargs) -> Settings:
        path = Path(data).expanduser().resolve() if data else default_data_dir()
        return cls(data=path, **{k: v for k, v in kwargs.items() if v is not None})

    @property
    def database_url(self) -> str:
        return self.database or f"sqlite:///{self.data / 'index.sqlite3'}"

    @property
    def blob_dir(self) -> Path:
        return self.blobs or self.data / "files"

    def to_env(self) -> str:
        values = asdict(self)
        values["data"] = str(self.data)
        values["blobs"] = str(self.blobs) if self.blobs else None
        return json.dumps(values)

    @classmethod
    def from_env(cls) -> Settings:
        values = json.loads(os.environ[ENV_VAR])
        values["data"] = Path(values["data"])
        values["blobs"] = Path(values["blobs"]) if values["blobs"] else None
        return cls(**values)
