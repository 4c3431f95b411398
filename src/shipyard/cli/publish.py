"""`shipyard publish`: upload distributions to an index through the legacy upload API."""

from __future__ import annotations

import json
from pathlib import Path

import click

EPILOG = """\b
Examples:
  shipyard publish                             dist/* to PyPI (API token in SHIPYARD_PASSWORD)
  shipyard publish -r testpypi dist/*
  shipyard publish -r local                    to 'shipyard serve' on this machine
  shipyard publish -r company                  a [company] section of ~/.pypirc
  shipyard publish --repository-url https://pypi.example.com/legacy/ -u alice
  shipyard publish --skip-existing dist/*      re-run safely after a partial upload

\b
Where: --repository-url (or SHIPYARD_REPOSITORY_URL / TWINE_REPOSITORY_URL), else the
repository named by -r (or SHIPYARD_REPOSITORY / TWINE_REPOSITORY): 'pypi' (default),
'testpypi', 'local' (http://127.0.0.1:8080/legacy/), or a section of ~/.pypirc in
twine's format. Credentials: --username/--password, then SHIPYARD_USERNAME /
SHIPYARD_PASSWORD, then TWINE_USERNAME / TWINE_PASSWORD, then .pypirc, then keyring
(when installed). A PyPI API token alone logs in as __token__. Passwords are never shown.

\b
Every file is checked first as 'shipyard check --no-rebuild' does; any error stops the
upload before anything is sent (--no-check skips this). Sdists go before wheels;
5xx answers and connection errors are retried with backoff; the first failure stops.
"""


@click.command("publish", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("dists", nargs=-1, type=click.Path(path_type=Path))
@click.option("-r", "--repository", "repository_name", metavar="NAME",
              help="Repository: pypi, testpypi, local, or a .pypirc section.")
@click.option("--repository-url", metavar="URL", help="Upload URL of any legacy upload API (overrides -r).")
@click.option("-u", "--username", help="User name (__token__ for API tokens).")
@click.option("-p", "--password", help="Password or API token (prefer the environment).")
@click.option("--config-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The .pypirc to read (default: ~/.pypirc).")
@click.option("--skip-existing", is_flag=True, help="Skip files the index already has, instead of failing.")
@click.option("--no-check", is_flag=True, help="Upload without checking the files first.")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Retries on server errors and lost connections.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome per file as JSON.")
def command(dists: tuple[Path, ...], repository_name: str | None, repository_url: str | None,
            username: str | None, password: str | None, config_file: Path | None, skip_existing: bool,
            no_check: bool, retries: int, as_json: bool) -> int:
    """Upload distributions (default: dist/*) to an index."""
    from shipyard.check import find_dists
    from shipyard.publish import credentials, publish, repositories
    from shipyard.publish.display import PlainDisplay, display_for

    paths = find_dists(list(dists))
    repository = repositories.resolve(repository_name, repository_url, config_file)
    login = credentials.resolve(repository, username, password)
    display = PlainDisplay() if as_json else display_for()
    if not as_json:
        click.echo(f"Uploading to {repository.url} as {login.username}", err=True)
    outcomes = publish(paths, repository, login, display, check=not no_check, skip_existing=skip_existing,
                       retries=retries)
    failed = [o for o in outcomes if o.status in ("failed", "not attempted")]
    if as_json:
        click.echo(json.dumps({"repository": repository.url, "ok": not failed,
                               "files": [o.as_dict() for o in outcomes]}, indent=2))
    else:
        counts = {status: sum(o.status == status for o in outcomes) for status in ("uploaded", "skipped", "failed")}
        verdict = "done" if not failed else "FAILED"
        click.echo(f"{verdict}: {counts['uploaded']} uploaded, {counts['skipped']} skipped, "
                   f"{counts['failed']} failed, {len(outcomes) - sum(counts.values())} not attempted")
        for outcome in failed[:1]:
            click.echo(f"error: {outcome.path.name}: {outcome.message}", err=True)
    return 1 if failed else 0
