"""Static export of the simple pages, for nginx or a CDN to serve at the floor.

Writes ``simple/index.html`` and ``simple/<project>/index.html`` (HTML, PEP 503) plus
``index.json`` beside each (PEP 691 JSON). File links stay relative
(``../../packages/<sha256>/<file>``), so the blob directory's ``packages/`` can be served
beside them as it is. Each page is written atomically; a re-run rewrites only what changed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from shipyard.index import simple
from shipyard.index.store.metadata import MetadataStore


def _write(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".export-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(temp, 0o644)
    os.replace(temp, path)
    return True


def export(store: MetadataStore, target: Path) -> tuple[int, int]:
    """Write every simple page under `target`; returns (pages written, projects)."""
    serial, names = store.project_names()
    root = Path(target) / "simple"
    written = 0
    for media, filename in ((simple.TEXT_HTML, "index.html"), (simple.V1_JSON, "index.json")):
        written += _write(root / filename, simple.index_page(names, serial, media).body)
    for name, _display, _serial in names:
        project = store.project(name)
        if project is None:  # deleted while exporting
            continue
        rows = store.project_files(project["id"])
        for media, filename in ((simple.TEXT_HTML, "index.html"), (simple.V1_JSON, "index.json")):
            page = simple.project_page(project["display_name"], rows, project["serial"], media)
            written += _write(root / name / filename, page.body)
    known = {name for name, _, _ in names}
    for stale in root.iterdir():
        if stale.is_dir() and stale.name not in known:
            for child in stale.iterdir():
                child.unlink()
            stale.rmdir()
    return written, len(names)
