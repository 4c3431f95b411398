"""With what to log in: options, environment, .pypirc, then keyring; never printed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from shipyard_core.errors import ShipyardError

from shipyard.publish.repositories import Repository

TOKEN_USERNAME = "__token__"
#: API tokens of PyPI and of shipyard's index, recognized when no user name is given
TOKEN_PREFIXES = ("pypi-", "shipyard-")


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = ""
    #: where the password came from (never the password itself), for messages
    source: str = ""

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=<hidden>, source={self.source!r})"


def _first(*candidates: tuple[str | None, str]) -> tuple[str | None, str]:
    for value, source in candidates:
        if value:
            return value, source
    return None, ""


def _keyring(url: str, username: str | None) -> tuple[str | None, str | None]:
    """Username and password keyring holds for `url`, when keyring is installed and set up."""
    try:
        import keyring
    except ImportError:
        return None, None
    try:
        credential = keyring.get_credential(url, username)
    except Exception:  # noqa: BLE001 - any backend failure means "keyring has nothing"
        return None, None
    if credential is None:
        return None, None
    return credential.username or username, credential.password


def resolve(repository: Repository, username: str | None = None, password: str | None = None,
            environ: Mapping[str, str] = os.environ) -> Credentials:
    """Credentials for `repository`; a token alone means the `__token__` user."""
    username, _ = _first((username, "option"), (environ.get("SHIPYARD_USERNAME"), "SHIPYARD_USERNAME"),
                         (environ.get("TWINE_USERNAME"), "TWINE_USERNAME"), (repository.username, ".pypirc"))
    password, source = _first((password, "--password"), (environ.get("SHIPYARD_PASSWORD"), "SHIPYARD_PASSWORD"),
                              (environ.get("TWINE_PASSWORD"), "TWINE_PASSWORD"), (repository.password, ".pypirc"))
    if not password:
        stored_user, password = _keyring(repository.url, username)
        username, source = username or stored_user, "keyring"
    if not password:
        raise ShipyardError(f"no password or API token for repository {repository.name!r} ({repository.url}): "
                            "pass --password, set SHIPYARD_PASSWORD (or TWINE_PASSWORD), add it to .pypirc, "
                            "or store it with keyring")
    if not username and (password.startswith(TOKEN_PREFIXES) or repository.is_pypi):
        username = TOKEN_USERNAME  # PyPI takes API tokens only, and a token alone is one
    if not username:
        raise ShipyardError(f"no user name for repository {repository.name!r} ({repository.url}): pass "
                            f"--username, set SHIPYARD_USERNAME (or TWINE_USERNAME), or use {TOKEN_USERNAME} "
                            "with an API token")
    return Credentials(username, password, source)
