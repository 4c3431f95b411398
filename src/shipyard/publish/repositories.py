"""Where to upload: built-in repositories, named ones from a .pypirc, or a URL."""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from shipyard_core.errors import ShipyardError

PYPI = "https://upload.pypi.org/legacy/"
TESTPYPI = "https://test.pypi.org/legacy/"
#: The embedded index of `shipyard serve`, at its default address.
LOCAL = "http://127.0.0.1:8080/legacy/"
BUILTIN = {"pypi": PYPI, "testpypi": TESTPYPI, "local": LOCAL}
DEFAULT_CONFIG = Path("~/.pypirc")


@dataclass(frozen=True)
class Repository:
    """An upload endpoint and what the configuration says about logging in to it."""

    name: str
    url: str
    username: str | None = None
    password: str | None = None
    ca_cert: str | None = None
    client_cert: str | None = None

    @property
    def is_pypi(self) -> bool:
        return self.url.startswith((PYPI, TESTPYPI))


def validate_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ShipyardError(f"expected an http:// or https:// URL with a host, got {url!r}", field="--repository-url")
    if parts.username or parts.password:
        raise ShipyardError("put credentials in --username/--password or the environment, not in the URL",
                            field="--repository-url")
    return url


def read_pypirc(path: Path) -> dict[str, Repository]:
    """Repositories a .pypirc names, in twine's reading of the format (packaging.python.org spec)."""
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise ShipyardError(f"cannot be read as a .pypirc: {exc}", file=path) from None
    login = {key: parser.get("server-login", key, fallback=None) for key in ("username", "password")}
    servers = parser.get("distutils", "index-servers", fallback="pypi testpypi").split()
    found: dict[str, Repository] = {}
    for name in servers:
        def value(key: str, default: str | None = None) -> str | None:
            return parser.get(name, key, fallback=default) if parser.has_section(name) else default

        url = value("repository", BUILTIN.get(name))
        if url is None:
            raise ShipyardError(f"[{name}] has no 'repository' URL", file=path, field=name)
        found[name] = Repository(name, url, value("username", login["username"]), value("password", login["password"]),
                                 value("ca_cert"), value("client_cert"))
    return found


def resolve(name: str | None, url: str | None, config_file: Path | None = None,
            environ: Mapping[str, str] = os.environ) -> Repository:
    """The repository to upload to: --repository-url, then -r NAME (.pypirc or built-in), then pypi."""
    url = url or environ.get("SHIPYARD_REPOSITORY_URL") or environ.get("TWINE_REPOSITORY_URL")
    if url:
        return Repository(name or url, validate_url(url))
    name = name or environ.get("SHIPYARD_REPOSITORY") or environ.get("TWINE_REPOSITORY") or "pypi"
    path = (config_file or DEFAULT_CONFIG).expanduser()
    if config_file is not None and not path.is_file():
        raise ShipyardError("no such configuration file", file=path)
    configured = read_pypirc(path)
    if name in configured:
        repository = configured[name]
        validate_url(repository.url)
        return repository
    if name in BUILTIN:
        return Repository(name, BUILTIN[name])
    known = sorted(set(configured) | set(BUILTIN))
    raise ShipyardError(f"unknown repository {name!r}: known are {', '.join(known)}; add a [{name}] section "
                        f"with 'repository = URL' to {path} (and list it in [distutils] index-servers), "
                        "or pass --repository-url", field="--repository")
