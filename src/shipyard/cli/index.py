"""`shipyard index ...`: administer an index's users, tokens and projects, and export it."""

from __future__ import annotations

import functools
import json
import sys

import click

EXAMPLES = """
Examples:

\b
  shipyard index user add alice --password-stdin < pw.txt
  shipyard index token create alice                   prints only the new token
  shipyard index token create alice --project demo    a token that can upload to demo only
  shipyard index token list --json
  shipyard index token revoke 3f2a9c0d1e4b5a69
  shipyard index project list --json
  shipyard index project yank demo 1.0 --reason "broken on 3.13"
  shipyard index project role demo bob maintainer
  shipyard index export ./static                      simple pages for nginx or a CDN

Every command takes --data DIR (and --database URL) to pick the index, as `shipyard serve` does.
"""


def _store_options(func):
    @click.option("--data", type=click.Path(file_okay=False), help="Index directory (default: the user data dir).")
    @click.option("--database", help="SQLAlchemy URL of the metadata store (default: SQLite in --data).")
    @functools.wraps(func)
    def wrapper(*args, data: str | None, database: str | None, **kwargs):
        from shipyard.index.config import Settings
        from shipyard.index.store.metadata import MetadataStore

        settings = Settings.make(data, database=database)
        settings.data.mkdir(parents=True, exist_ok=True)
        store = MetadataStore(settings.database_url)
        store.create()
        try:
            return func(*args, store=store, settings=settings, **kwargs)
        finally:
            store.dispose()

    return wrapper


def _fail(message: str):
    from shipyard_core.errors import ShipyardError

    raise ShipyardError(message)


def _emit(rows: list[dict], as_json: bool, columns: list[str]) -> None:
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("(none)")
        return
    widths = {c: max(len(c), *(len(str(r.get(c) if r.get(c) is not None else "-")) for r in rows)) for c in columns}
    click.echo("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        click.echo("  ".join(str(row.get(c) if row.get(c) is not None else "-").ljust(widths[c]) for c in columns).rstrip())


@click.group("index", epilog=EXAMPLES)
def command() -> None:
    """Administer an index: users, tokens, projects, static export."""


# --- users ---------------------------------------------------------------------------------


@command.group()
def user() -> None:
    """Accounts that can log in and upload."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        _fail("the password must have at least 8 characters")
    return password


@user.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--no-password", is_flag=True, help="No password: the user works through tokens only.")
@_store_options
def user_add(name: str, password_stdin: bool, no_password: bool, store, settings) -> None:
    """Create user NAME."""
    from shipyard.index.auth import hash_password
    from shipyard.index.store.metadata import Conflict

    password_hash = None if no_password else hash_password(_read_password(password_stdin))
    try:
        store.add_user(name, password_hash)
    except Conflict:
        _fail(f"user {name!r} already exists")
    click.echo(f"created user {name}", err=True)


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@_store_options
def user_password(name: str, password_stdin: bool, store, settings) -> None:
    """Set the password of user NAME."""
    from shipyard.index.auth import hash_password

    if not store.set_password(name, hash_password(_read_password(password_stdin))):
        _fail(f"no user {name!r}")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_store_options
def user_list(as_json: bool, store, settings) -> None:
    """List users."""
    _emit(store.list_users(), as_json, ["name", "created"])


# --- tokens --------------------------------------------------------------------------------


@command.group()
def token() -> None:
    """API tokens (use as __token__ with twine, uv publish, shipyard publish)."""


@token.command("create")
@click.argument("user_name", metavar="USER")
@click.option("--project", help="Limit the token to this project (USER must have a role on it).")
@click.option("--description", default="", help="A note to recognize the token by.")
@_store_options
def token_create(user_name: str, project: str | None, description: str, store, settings) -> None:
    """Create a token for USER and print it (only now: the index keeps a hash)."""
    from shipyard.index.auth import create_token

    try:
        click.echo(create_token(store, user_name, project, description))
    except (LookupError, PermissionError) as exc:
        _fail(str(exc.args[0]))


@token.command("list")
@click.option("--user", "user_name", help="Only this user's tokens.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_store_options
def token_list(user_name: str | None, as_json: bool, store, settings) -> None:
    """List tokens (ids, scopes; never the secrets)."""
    user_id = None
    if user_name:
        row = store.user(name=user_name)
        if row is None:
            _fail(f"no user {user_name!r}")
        user_id = row["id"]
    rows = store.list_tokens(user_id)
    for row in rows:
        row["scope"] = row["project"] or "user"
        row["revoked"] = bool(row["revoked"])
    _emit(rows, as_json, ["id", "user", "scope", "description", "created", "revoked"])


@token.command("revoke")
@click.argument("token_id")
@_store_options
def token_revoke(token_id: str, store, settings) -> None:
    """Revoke a token by its id (the part after 'shipyard-')."""
    if not store.revoke_token(token_id.removeprefix("shipyard-").split("-")[0]):
        _fail(f"no token {token_id!r}")
    click.echo(f"revoked {token_id}", err=True)


# --- projects ------------------------------------------------------------------------------


@command.group()
def project() -> None:
    """Projects: list, yank, unyank, delete, roles."""


@project.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_store_options
def project_list(as_json: bool, store, settings) -> None:
    """List projects."""
    _emit(store.list_projects(), as_json, ["name", "display_name", "serial", "created"])


def _canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


@project.command("yank")
@click.argument("name")
@click.argument("version")
@click.option("--reason", default="", help="Shown to installers (PEP 592).")
@_store_options
def project_yank(name: str, version: str, reason: str, store, settings) -> None:
    """Yank VERSION of NAME: installers skip it unless it is pinned."""
    if not store.set_yanked(_canonical(name), version, True, reason):
        _fail(f"no release {name} {version}")


@project.command("unyank")
@click.argument("name")
@click.argument("version")
@_store_options
def project_unyank(name: str, version: str, store, settings) -> None:
    """Undo a yank."""
    if not store.set_yanked(_canonical(name), version, False):
        _fail(f"no release {name} {version}")


@project.command("delete")
@click.argument("name")
@click.argument("version", required=False)
@click.option("--yes", is_flag=True, help="Do not ask.")
@_store_options
def project_delete(name: str, version: str | None, yes: bool, store, settings) -> None:
    """Delete a project or one release. Its file names can never be uploaded again."""
    from shipyard.index.store.blobs import LocalBlobStore, blob_key

    what = f"{name} {version}" if version else f"project {name} with all its files"
    if not yes:
        click.confirm(f"Delete {what}?", abort=True)
    if store.project(_canonical(name)) is None:
        _fail(f"no project {name!r}")
    doomed = store.delete(_canonical(name), version)
    if version is not None and not doomed:
        _fail(f"no release {name} {version}")
    blobs = LocalBlobStore(settings.blob_dir)
    for sha256, filename in doomed:
        blobs.delete(blob_key(sha256, filename) + ".metadata")
        blobs.delete(blob_key(sha256, filename))
    click.echo(f"deleted {what} ({len(doomed)} files)", err=True)


@project.command("role")
@click.argument("name")
@click.argument("user_name", metavar="USER")
@click.argument("role", type=click.Choice(["owner", "maintainer", "none"]))
@_store_options
def project_role(name: str, user_name: str, role: str, store, settings) -> None:
    """Give USER a ROLE on project NAME ('none' removes it)."""
    try:
        store.set_role(_canonical(name), user_name, None if role == "none" else role)
    except LookupError as exc:
        _fail(str(exc.args[0]))


# --- export --------------------------------------------------------------------------------


@command.command("export")
@click.argument("target", type=click.Path(file_okay=False))
@_store_options
def export_command(target: str, store, settings) -> None:
    """Write the simple pages as static files under TARGET/simple/ (for nginx or a CDN)."""
    from pathlib import Path

    from shipyard.index.export import export

    written, projects = export(store, Path(target))
    click.echo(f"exported {projects} projects to {Path(target) / 'simple'} ({written} pages changed)", err=True)
    click.echo(f"serve {settings.blob_dir / 'packages'} at /packages/ beside it", err=True)
