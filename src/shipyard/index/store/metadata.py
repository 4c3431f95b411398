"""Metadata store: users, tokens, projects, roles, releases and files, in SQLAlchemy Core.

SQLite by default (WAL, so several worker processes share it), PostgreSQL by URL. Every
change bumps a global serial and stamps the changed project with it: a page cache keyed by
the project's serial is correct across processes and machines.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import (
    Boolean, Column, ForeignKey, Integer, MetaData, bindparam, String, Table, Text,
    UniqueConstraint, create_engine, delete, event, func, insert, select, update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

schema = MetaData()

counters = Table(
    "counters", schema,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)
secrets_table = Table(
    "secrets", schema,
    Column("name", String(32), primary_key=True),
    Column("value", String(128), nullable=False),
)
users = Table(
    "users", schema,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), unique=True, nullable=False),
    Column("password_hash", String(300), nullable=True),
    Column("created", String(32), nullable=False),
)
projects = Table(
    "projects", schema,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), unique=True, nullable=False),  # normalized (PEP 503)
    Column("display_name", String(200), nullable=False),
    Column("serial", Integer, nullable=False),
    Column("created", String(32), nullable=False),
)
roles = Table(
    "roles", schema,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), nullable=False),  # owner | maintainer
)
tokens = Table(
    "tokens", schema,
    Column("id", String(32), primary_key=True),  # public identifier inside the token
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=True),
    Column("secret_hash", String(64), nullable=False),  # sha256 of the whole token
    Column("description", String(200), nullable=False, default=""),
    Column("created", String(32), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)
releases = Table(
    "releases", schema,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("version", String(100), nullable=False),
    Column("canonical_version", String(100), nullable=False),
    Column("info", Text, nullable=False),  # JSON: core metadata fields in PyPI's naming
    Column("description_html", Text, nullable=False, default=""),
    Column("yanked", Boolean, nullable=False, default=False),
    Column("yanked_reason", String(500), nullable=False, default=""),
    Column("created", String(32), nullable=False),
    UniqueConstraint("project_id", "canonical_version"),
)
files = Table(
    "files", schema,
    Column("id", Integer, primary_key=True),
    Column("project_id", Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("release_id", Integer, ForeignKey("releases.id", ondelete="CASCADE"), nullable=False),
    Column("filename", String(300), unique=True, nullable=False),
    Column("packagetype", String(16), nullable=False),
    Column("python_version", String(32), nullable=False),
    Column("requires_python", String(200), nullable=True),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("md5", String(32), nullable=False),
    Column("blake2_256", String(64), nullable=False),
    Column("metadata_sha256", String(64), nullable=True),
    Column("upload_time", String(32), nullable=False),
    Column("uploader_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
)
tombstones = Table(  # file names that were deleted: never reusable (as on PyPI)
    "tombstones", schema,
    Column("filename", String(300), primary_key=True),
    Column("deleted", String(32), nullable=False),
)


def now() -> str:
    """UTC time as ISO 8601 with microseconds and a Z, as PyPI writes it."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Conflict(Exception):
    """A unique name is taken (file name, project, user)."""


@dataclass(frozen=True)
class FileRecord:
    """What the upload path records for one stored file."""

    filename: str
    packagetype: str
    python_version: str
    requires_python: str | None
    size: int
    sha256: str
    md5: str
    blake2_256: str
    metadata_sha256: str | None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class MetadataStore:
    """All index metadata; each method is one transaction."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)

    def create(self) -> None:
        """Create the tables and counters if missing (idempotent, safe to race)."""
        try:
            schema.create_all(self.engine, checkfirst=True)
        except DBAPIError:  # another process created them between the check and the CREATE
            schema.create_all(self.engine, checkfirst=True)
        for name, value in (("serial", 0),):
            try:
                with self.engine.begin() as conn:
                    if conn.execute(select(counters.c.value).where(counters.c.name == name)).first() is None:
                        conn.execute(insert(counters).values(name=name, value=value))
            except IntegrityError:
                pass

    def dispose(self) -> None:
        self.engine.dispose()

    # --- small helpers ------------------------------------------------------------------

    @staticmethod
    def _bump(conn: Connection, project_id: int | None) -> int:
        conn.execute(update(counters).where(counters.c.name == "serial").values(value=counters.c.value + 1))
        serial = conn.execute(select(counters.c.value).where(counters.c.name == "serial")).scalar_one()
        if project_id is not None:
            conn.execute(update(projects).where(projects.c.id == project_id).values(serial=serial))
        return serial

    def secret(self, name: str) -> str:
        """A random secret shared by every process of this index (created on first use)."""
        with self.engine.begin() as conn:
            value = conn.execute(select(secrets_table.c.value).where(secrets_table.c.name == name)).scalar()
            if value is None:
                value = secrets.token_urlsafe(48)
                try:
                    with conn.begin_nested():
                        conn.execute(insert(secrets_table).values(name=name, value=value))
                except IntegrityError:
                    value = conn.execute(select(secrets_table.c.value).where(secrets_table.c.name == name)).scalar_one()
            return value

    def serial(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(counters.c.value).where(counters.c.name == "serial")).scalar_one()

    # --- users and tokens ---------------------------------------------------------------

    def add_user(self, name: str, password_hash: str | None) -> int:
        try:
            with self.engine.begin() as conn:
                return conn.execute(insert(users).values(name=name, password_hash=password_hash, created=now())
                                    .returning(users.c.id)).scalar_one()
        except IntegrityError:
            raise Conflict(f"user {name!r} exists") from None

    def set_password(self, name: str, password_hash: str) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(update(users).where(users.c.name == name).values(password_hash=password_hash)).rowcount > 0

    def user(self, *, name: str | None = None, user_id: int | None = None) -> dict | None:
        query = select(users).where(users.c.name == name if name is not None else users.c.id == user_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return dict(row) if row else None

    def list_users(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(users.c.id, users.c.name, users.c.created).order_by(users.c.name)).mappings()]

    def add_token(self, token_id: str, user_id: int, secret_hash: str, project_id: int | None, description: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(tokens).values(id=token_id, user_id=user_id, project_id=project_id,
                                               secret_hash=secret_hash, description=description,
                                               created=now(), revoked=False))

    def token(self, token_id: str) -> dict | None:
        query = (select(tokens, users.c.name.label("user_name"), projects.c.name.label("project_name"))
                 .join(users, users.c.id == tokens.c.user_id)
                 .outerjoin(projects, projects.c.id == tokens.c.project_id)
                 .where(tokens.c.id == token_id))
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return dict(row) if row else None

    def list_tokens(self, user_id: int | None = None) -> list[dict]:
        query = (select(tokens.c.id, tokens.c.description, tokens.c.created, tokens.c.revoked,
                        users.c.name.label("user"), projects.c.name.label("project"))
                 .join(users, users.c.id == tokens.c.user_id)
                 .outerjoin(projects, projects.c.id == tokens.c.project_id)
                 .order_by(tokens.c.created))
        if user_id is not None:
            query = query.where(tokens.c.user_id == user_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def revoke_token(self, token_id: str, user_id: int | None = None) -> bool:
        query = update(tokens).where(tokens.c.id == token_id).values(revoked=True)
        if user_id is not None:
            query = query.where(tokens.c.user_id == user_id)
        with self.engine.begin() as conn:
            return conn.execute(query).rowcount > 0

    # --- projects and roles --------------------------------------------------------------

    def project(self, name: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(projects).where(projects.c.name == name)).mappings().first()
        return dict(row) if row else None

    def project_serial(self, name: str) -> tuple[int, int] | None:
        """(project id, serial) for a normalized name: the hot path of the simple API."""
        with self.engine.connect() as conn:
            row = conn.execute(_PROJECT_SERIAL, {"name": name}).first()
        return (row[0], row[1]) if row else None

    def list_projects(self, query: str | None = None, limit: int | None = None) -> list[dict]:
        stmt = select(projects.c.name, projects.c.display_name, projects.c.serial, projects.c.created).order_by(projects.c.name)
        if query:
            stmt = stmt.where(projects.c.name.contains(query.lower().replace("_", "-").replace(".", "-"), autoescape=True))
        if limit:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def project_names(self) -> tuple[int, list[tuple[str, str, int]]]:
        """(global serial, [(name, display name, serial)...]) for the /simple/ index."""
        with self.engine.connect() as conn:
            serial = conn.execute(select(counters.c.value).where(counters.c.name == "serial")).scalar_one()
            rows = conn.execute(select(projects.c.name, projects.c.display_name, projects.c.serial).order_by(projects.c.name)).all()
        return serial, [(r[0], r[1], r[2]) for r in rows]

    def role(self, user_id: int, project_id: int) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(roles.c.role).where(roles.c.user_id == user_id, roles.c.project_id == project_id)).scalar()

    def set_role(self, project: str, user: str, role: str | None) -> None:
        """Give `user` a role on `project` (None removes it)."""
        with self.engine.begin() as conn:
            project_id = conn.execute(select(projects.c.id).where(projects.c.name == project)).scalar()
            user_id = conn.execute(select(users.c.id).where(users.c.name == user)).scalar()
            if project_id is None or user_id is None:
                raise LookupError(f"no project {project!r}" if project_id is None else f"no user {user!r}")
            conn.execute(delete(roles).where(roles.c.user_id == user_id, roles.c.project_id == project_id))
            if role:
                conn.execute(insert(roles).values(user_id=user_id, project_id=project_id, role=role))

    def project_roles(self, project_id: int) -> list[dict]:
        query = (select(users.c.name, roles.c.role).join(users, users.c.id == roles.c.user_id)
                 .where(roles.c.project_id == project_id).order_by(roles.c.role.desc(), users.c.name))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    # --- releases and files --------------------------------------------------------------

    def filename_taken(self, filename: str) -> bool:
        with self.engine.connect() as conn:
            if conn.execute(select(files.c.id).where(files.c.filename == filename)).first():
                return True
            return conn.execute(select(tombstones.c.filename).where(tombstones.c.filename == filename)).first() is not None

    def add_file(self, *, name: str, display_name: str, version: str, canonical_version: str,
                 info: dict, description_html: str, record: FileRecord, uploader_id: int) -> bool:
        """Record a stored file; registers project and release when new.

        Returns True when the project was created (the uploader became its owner).
        Raises Conflict when the file name is taken, PermissionError when the project
        exists and the uploader has no role on it (re-checked here against races).
        """
        created = False
        with self.engine.begin() as conn:
            if conn.execute(select(tombstones.c.filename).where(tombstones.c.filename == record.filename)).first():
                raise Conflict(record.filename)
            project_id = conn.execute(select(projects.c.id).where(projects.c.name == name)).scalar()
            if project_id is None:
                try:
                    with conn.begin_nested():
                        project_id = conn.execute(insert(projects).values(
                            name=name, display_name=display_name, serial=0, created=now()).returning(projects.c.id)).scalar_one()
                        conn.execute(insert(roles).values(user_id=uploader_id, project_id=project_id, role="owner"))
                        created = True
                except IntegrityError:
                    project_id = conn.execute(select(projects.c.id).where(projects.c.name == name)).scalar_one()
            if not created:
                role = conn.execute(select(roles.c.role).where(
                    roles.c.user_id == uploader_id, roles.c.project_id == project_id)).scalar()
                if role not in ("owner", "maintainer"):
                    raise PermissionError(f"not allowed to upload to project {name!r}")
            release_id = conn.execute(select(releases.c.id).where(
                releases.c.project_id == project_id, releases.c.canonical_version == canonical_version)).scalar()
            if release_id is None:
                try:
                    with conn.begin_nested():
                        release_id = conn.execute(insert(releases).values(
                            project_id=project_id, version=version, canonical_version=canonical_version,
                            info=json.dumps(info), description_html=description_html, yanked=False,
                            yanked_reason="", created=now()).returning(releases.c.id)).scalar_one()
                except IntegrityError:
                    release_id = conn.execute(select(releases.c.id).where(
                        releases.c.project_id == project_id, releases.c.canonical_version == canonical_version)).scalar_one()
            try:
                with conn.begin_nested():
                    conn.execute(insert(files).values(project_id=project_id, release_id=release_id,
                                                      upload_time=now(), uploader_id=uploader_id, **record.__dict__))
            except IntegrityError:
                raise Conflict(record.filename) from None
            self._bump(conn, project_id)
        return created

    def project_files(self, project_id: int) -> list[dict]:
        """Every file of a project with its release's version and yank state."""
        query = (select(files, releases.c.version, releases.c.yanked, releases.c.yanked_reason)
                 .join(releases, releases.c.id == files.c.release_id)
                 .where(files.c.project_id == project_id).order_by(files.c.filename))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def listing(self, project_id: int) -> tuple[str, int, list[dict]] | None:
        """(display name, serial, files as `project_files` gives them) in one query, for the simple page."""
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(_LISTING, {"project_id": project_id}).mappings()]
        if not rows:
            return None
        display_name, serial = rows[0]["display_name"], rows[0]["serial"]
        return display_name, serial, [r for r in rows if r["filename"] is not None]

    def releases(self, project_id: int) -> list[dict]:
        query = select(releases).where(releases.c.project_id == project_id)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
        for row in rows:
            row["info"] = json.loads(row["info"])
        return rows

    def latest_uploads(self, limit: int = 10) -> list[dict]:
        query = (select(projects.c.name, projects.c.display_name, releases.c.version, releases.c.created, releases.c.info)
                 .join(projects, projects.c.id == releases.c.project_id)
                 .order_by(releases.c.created.desc(), releases.c.id.desc()).limit(limit))
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
        for row in rows:
            row["summary"] = json.loads(row.pop("info")).get("summary") or ""
        return rows

    def set_yanked(self, name: str, version: str, yanked: bool, reason: str = "") -> bool:
        from packaging.utils import canonicalize_version

        with self.engine.begin() as conn:
            project_id = conn.execute(select(projects.c.id).where(projects.c.name == name)).scalar()
            if project_id is None:
                return False
            changed = conn.execute(update(releases).where(
                releases.c.project_id == project_id,
                releases.c.canonical_version == canonicalize_version(version, strip_trailing_zero=False),
            ).values(yanked=yanked, yanked_reason=reason if yanked else "")).rowcount
            if changed:
                self._bump(conn, project_id)
            return changed > 0

    def delete(self, name: str, version: str | None = None) -> list[tuple[str, str]]:
        """Delete a project (or one release); returns the (sha256, filename) blobs to remove.

        The file names become tombstones: never uploadable again.
        """
        from packaging.utils import canonicalize_version

        with self.engine.begin() as conn:
            project_id = conn.execute(select(projects.c.id).where(projects.c.name == name)).scalar()
            if project_id is None:
                return []
            query = select(files.c.id, files.c.sha256, files.c.filename).where(files.c.project_id == project_id)
            release_filter = releases.c.project_id == project_id
            if version is not None:
                canonical = canonicalize_version(version, strip_trailing_zero=False)
                release_filter = release_filter & (releases.c.canonical_version == canonical)
                query = query.join(releases, releases.c.id == files.c.release_id).where(releases.c.canonical_version == canonical)
            doomed = conn.execute(query).all()
            stamp = now()
            for _, _, filename in doomed:
                if conn.execute(select(tombstones.c.filename).where(tombstones.c.filename == filename)).first() is None:
                    conn.execute(insert(tombstones).values(filename=filename, deleted=stamp))
            conn.execute(delete(files).where(files.c.id.in_([row[0] for row in doomed])))
            conn.execute(delete(releases).where(release_filter))
            if version is None:
                conn.execute(delete(roles).where(roles.c.project_id == project_id))
                conn.execute(delete(tokens).where(tokens.c.project_id == project_id))
                conn.execute(delete(projects).where(projects.c.id == project_id))
                self._bump(conn, None)
            else:
                self._bump(conn, project_id)
        return [(sha, filename) for _, sha, filename in doomed]

    def file_exists(self, sha256: str, filename: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(files).where(
                files.c.sha256 == sha256, files.c.filename == filename)).scalar_one() > 0



#: built once: constructing a statement costs more than running it on the hot path
_LISTING = (select(projects.c.display_name, projects.c.serial, files, releases.c.version,
                   releases.c.yanked, releases.c.yanked_reason)
            .select_from(projects.outerjoin(files, files.c.project_id == projects.c.id)
                         .outerjoin(releases, releases.c.id == files.c.release_id))
            .where(projects.c.id == bindparam("project_id")).order_by(files.c.filename))
_PROJECT_SERIAL = select(projects.c.id, projects.c.serial).where(projects.c.name == bindparam("name"))


class SerialReader:
    """Fast (project id, serial) lookups for the simple API's hot path, one per process.

    On SQLite a private connection remembers answers until ``PRAGMA data_version`` says
    another connection (any process) committed: a check of microseconds, no table read.
    Elsewhere each call asks the database (one indexed primary-key-sized query).
    """

    def __init__(self, store: MetadataStore):
        self.store = store
        self._memo: dict[str, tuple[int, int] | None] = {}
        self._version = None
        self._conn = None
        url = store.engine.url
        if url.get_backend_name() == "sqlite" and url.database:
            import sqlite3

            self._conn = sqlite3.connect(url.database, check_same_thread=False, timeout=30)
            self._conn.execute("PRAGMA busy_timeout=30000")

    def get(self, name: str) -> tuple[int, int] | None:
        if self._conn is None:
            return self.store.project_serial(name)
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._memo.clear()
            self._version = version
        try:
            return self._memo[name]
        except KeyError:
            row = self._conn.execute("SELECT id, serial FROM projects WHERE name = ?", (name,)).fetchone()
            found = (row[0], row[1]) if row else None
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[name] = found
            return found
