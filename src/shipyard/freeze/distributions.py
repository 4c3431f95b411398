"""Installed distributions: find them, take a requirement closure, list their files.

The bundle gets whole distributions (all files of their RECORD, dist-info included), so
entry points, `importlib.metadata`, `importlib.resources` and `__file__` lookups inside
third-party packages work as they do in the environment they came from.
"""

from __future__ import annotations

import importlib.metadata as md
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from shipyard_core.errors import ShipyardError


@dataclass(frozen=True)
class Installed:
    """A distribution installed in a site folder, with the files it owns there."""

    name: str
    version: str
    site: Path
    files: tuple[str, ...]          # POSIX paths relative to `site`
    requires: tuple[str, ...]


class Environment:
    """The distributions installed in some site folders (first one wins, as on sys.path)."""

    def __init__(self, sites: list[Path]):
        self.sites = sites
        self._dists: dict[str, md.Distribution] = {}
        for dist in md.distributions(path=[str(s) for s in sites]):
            name = dist.metadata["Name"]
            if name:
                self._dists.setdefault(canonicalize_name(name), dist)

    def get(self, name: str) -> Installed | None:
        dist = self._dists.get(canonicalize_name(name))
        if dist is None:
            return None
        site = Path(dist.locate_file(""))
        files = dist.files
        if files is None:
            raise ShipyardError(f"{dist.metadata['Name']} is installed without a RECORD file; "
                                "reinstall it with pip so its files are known", field="dependencies")
        rels = sorted({f.as_posix() for f in files if not f.as_posix().startswith("..")
                       and "__pycache__" not in f.parts and f.suffix != ".pyc"})
        return Installed(dist.metadata["Name"], dist.version, site, tuple(rels), tuple(dist.requires or ()))

    @cached_property
    def owners(self) -> dict[str, str]:
        """Importable top-level name -> the distribution that provides it."""
        owners: dict[str, str] = {}
        for key, dist in self._dists.items():
            for f in dist.files or ():
                parts = f.parts
                if not parts or parts[0].startswith("..") or parts[0].endswith((".dist-info", ".egg-info")):
                    continue
                top = parts[0]
                if len(parts) == 1:
                    if f.suffix not in (".py", ".so"):
                        continue
                    top = top.split(".")[0]
                if top.isidentifier():
                    owners.setdefault(top, key)
        return owners

    def closure(self, requirements: list[str], wanted_by: str) -> list[Installed]:
        """The installed distributions `requirements` need, transitively (markers honored)."""
        env = default_environment()
        found: dict[str, Installed] = {}
        todo: list[tuple[str, str]] = [(r, wanted_by) for r in requirements]
        extras_done: set[tuple[str, str]] = set()
        while todo:
            text, parent = todo.pop(0)
            try:
                req = Requirement(text)
            except InvalidRequirement as exc:
                raise ShipyardError(f"invalid requirement {text!r}: {exc}", file=parent) from None
            key = canonicalize_name(req.name)
            dist = found.get(key) or self.get(req.name)
            if dist is None:
                raise ShipyardError(f"requires {text!r}, which is not installed in {self.where()}",
                                    file=parent)
            if key not in found:
                found[key] = dist
                todo += [(r, dist.name) for r in dist.requires if self._applies(r, env, "")]
            for extra in req.extras:
                if (key, extra) not in extras_done:
                    extras_done.add((key, extra))
                    todo += [(r, dist.name) for r in dist.requires if self._applies(r, env, extra, only_extra=True)]
        return [found[k] for k in sorted(found)]

    @staticmethod
    def _applies(text: str, env: dict, extra: str, only_extra: bool = False) -> bool:
        req = Requirement(text)
        if req.marker is None:
            return not only_extra
        if only_extra and "extra" not in str(req.marker):
            return False
        return req.marker.evaluate({**env, "extra": extra})

    def where(self) -> str:
        return ", ".join(str(s) for s in self.sites[:3]) + (" ..." if len(self.sites) > 3 else "")
