"""Accounts and permissions: password hashing (scrypt), API tokens, Basic auth, roles.

Tokens look like ``shipyard-<id>-<secret>``; the index stores only the id and a SHA-256 of
the whole token (a random 256-bit secret needs no slow KDF). Passwords are hashed with
scrypt. A token is scoped to its user, or to one project of that user.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from shipyard.index.store.metadata import MetadataStore

TOKEN_PREFIX = "shipyard-"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_PASSWORD_CACHE_SECONDS = 60.0


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    n, r, p = _SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"]
    return f"scrypt${n}${r}${p}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), dklen=len(expected),
                                n=int(n), r=int(r), p=int(p))
    except (ValueError, binascii.Error):
        return False
    return scheme == "scrypt" and hmac.compare_digest(actual, expected)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(store: MetadataStore, user: str, project: str | None = None, description: str = "") -> str:
    """A new API token for `user` (scoped to `project` if given); returned once, stored hashed."""
    account = store.user(name=user)
    if account is None:
        raise LookupError(f"no user {user!r}")
    project_id = None
    if project is not None:
        from packaging.utils import canonicalize_name

        row = store.project(canonicalize_name(project))
        if row is None:
            raise LookupError(f"no project {project!r}")
        if store.role(account["id"], row["id"]) is None:
            raise PermissionError(f"user {user!r} has no role on project {row['name']!r}")
        project_id = row["id"]
    token_id = secrets.token_hex(8)
    token = f"{TOKEN_PREFIX}{token_id}-{secrets.token_urlsafe(32)}"
    store.add_token(token_id, account["id"], token_hash(token), project_id, description)
    return token


@dataclass(frozen=True)
class Identity:
    """Who a request is: a user, possibly limited to one project by its token."""

    user_id: int
    user: str
    project_id: int | None = None  #: token scope; None means every project of the user
    via: str = "password"  #: password | token | session


class Authenticator:
    """Checks credentials against the store; remembers verified passwords briefly."""

    def __init__(self, store: MetadataStore):
        self.store = store
        self._verified: dict[str, tuple[Identity, float]] = {}

    def token(self, token: str) -> Identity | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        token_id = token[len(TOKEN_PREFIX):].split("-", 1)[0]
        row = self.store.token(token_id)
        if row is None or row["revoked"] or not hmac.compare_digest(row["secret_hash"], token_hash(token)):
            return None
        return Identity(row["user_id"], row["user_name"], row["project_id"], via="token")

    def password(self, user: str, password: str) -> Identity | None:
        key = hashlib.sha256(f"{user}\0{password}".encode()).hexdigest()
        cached = self._verified.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        row = self.store.user(name=user)
        if row is None or not verify_password(password, row["password_hash"]):
            return None
        identity = Identity(row["id"], row["name"], None, via="password")
        if len(self._verified) > 10_000:
            self._verified.clear()
        self._verified[key] = (identity, time.monotonic() + _PASSWORD_CACHE_SECONDS)
        return identity

    def basic(self, header: str | None) -> Identity | None:
        """The identity in an ``Authorization: Basic`` header (token as ``__token__``, or password)."""
        if not header or not header.lower().startswith("basic "):
            return None
        try:
            user, _, secret = base64.b64decode(header[6:].strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        if user == "__token__" or secret.startswith(TOKEN_PREFIX):
            identity = self.token(secret)
            return identity if identity and user in ("__token__", identity.user) else None
        return self.password(user, secret)


def may_upload(store: MetadataStore, identity: Identity, project: dict | None) -> str | None:
    """None when `identity` may upload to `project` (None: a new name), else the reason."""
    if project is None:
        if identity.project_id is not None:
            return "this token is scoped to another project; a new project needs a user-scoped token"
        return None
    if identity.project_id is not None and identity.project_id != project["id"]:
        return f"this token is not valid for project {project['name']!r}"
    if store.role(identity.user_id, project["id"]) not in ("owner", "maintainer"):
        return f"user {identity.user!r} is not allowed to upload to project {project['name']!r}"
    return None


class Signer:
    """HMAC-signed values for the login cookie and CSRF fields (key shared via the store)."""

    def __init__(self, key: str):
        self.key = key.encode()

    def sign(self, value: str, max_age: int = 14 * 24 * 3600) -> str:
        expires = str(int(time.time()) + max_age)
        mac = hmac.new(self.key, f"{value}|{expires}".encode(), hashlib.sha256).hexdigest()
        return f"{value}|{expires}|{mac}"

    def unsign(self, signed: str | None) -> str | None:
        if not signed:
            return None
        try:
            value, expires, mac = signed.rsplit("|", 2)
            expected = hmac.new(self.key, f"{value}|{expires}".encode(), hashlib.sha256).hexdigest()
            if hmac.compare_digest(mac, expected) and int(expires) > time.time():
                return value
        except ValueError:
            pass
        return None

    def csrf(self, session: str) -> str:
        return hmac.new(self.key, f"csrf|{session}".encode(), hashlib.sha256).hexdigest()
