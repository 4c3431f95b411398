"""`shipyard serve`: run a package index that pip, uv and twine use as they use PyPI."""

from __future__ import annotations

import click

EXAMPLES = """
Examples:

\b
  shipyard serve                                 index under your data dir, on 127.0.0.1:8080
  shipyard serve --data ./index --port 9000      keep the index in ./index
  shipyard serve --private                       every request needs a user or token
  shipyard serve --host 0.0.0.0 --workers 4 \\
      --database postgresql://idx@db/index --data /srv/index    one of several servers

\b
Then:
  pip install --index-url http://127.0.0.1:8080/simple/ NAME
  twine upload --repository-url http://127.0.0.1:8080/legacy/ dist/*
  shipyard index user add alice --data DIR       accounts and tokens: see `shipyard index --help`
"""


@click.command("serve", epilog=EXAMPLES)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--data", "data", type=click.Path(file_okay=False), help="Index directory (default: the user data dir).")
@click.option("--database", help="SQLAlchemy URL of the metadata store (default: SQLite in --data).")
@click.option("--blobs", type=click.Path(file_okay=False), help="Blob directory (default: DATA/files); share it between servers.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--private", is_flag=True, help="Require authentication for every request, reading too.")
@click.option("--max-upload", default="100M", show_default=True, help="Largest accepted file (bytes; K/M/G suffixes).")
@click.option("--quiet", is_flag=True, help="No access log.")
def command(host: str, port: int, data: str | None, database: str | None, blobs: str | None, workers: int,
            private: bool, max_upload: str, quiet: bool) -> int:
    """Run a package index: simple API, JSON API, uploads, accounts and web pages."""
    from pathlib import Path

    from shipyard.index.config import Settings
    from shipyard.index.store.blobs import LocalBlobStore
    from shipyard.index.store.metadata import MetadataStore
    from shipyard.index.workers import serve

    settings = Settings.make(data, database=database, blobs=Path(blobs).resolve() if blobs else None,
                             private=private, max_upload=parse_size(max_upload))
    settings.data.mkdir(parents=True, exist_ok=True)
    store = MetadataStore(settings.database_url)
    store.create()
    store.dispose()
    LocalBlobStore(settings.blob_dir).sweep()
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}"
    click.echo(f"shipyard index in {settings.data} ({'private' if private else 'public'}, {workers} worker(s))")
    click.echo(f"  pip:    pip install --index-url {base}/simple/ NAME")
    click.echo(f"  twine:  twine upload --repository-url {base}/legacy/ dist/*")
    click.echo(f"  web:    {base}/")
    serve(settings, host, port, workers, quiet)
    return 0


def parse_size(text: str) -> int:
    """'100M' -> bytes."""
    from shipyard_core.errors import ShipyardError

    units = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
    text = text.strip().upper().removesuffix("B")
    unit = text[-1] if text and text[-1] in units else ""
    try:
        return int(float(text[: len(text) - len(unit)]) * units[unit])
    except ValueError:
        raise ShipyardError(f"expected a size like 100M, got {text!r}", field="--max-upload") from None
