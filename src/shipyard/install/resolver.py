"""Resolve requirements to one version per project with resolvelib, for the target's markers.

Identifiers are project names, with extras as ``name[a,b]``: such a candidate depends on the
plain ``name==version`` plus the extras' requirements, so the versions always agree. An
already-installed version that satisfies the requirements is preferred (unless the project
is being upgraded); otherwise the newest usable version is tried first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version
from resolvelib import (
    AbstractProvider,
    BaseReporter,
    ResolutionImpossible,
    ResolutionTooDeep,
    Resolver,
)
from resolvelib.structs import RequirementInformation
from shipyard_core.errors import ShipyardError

from shipyard.install.finder import DistFile, Finder, ProjectNotFound
from shipyard.install.installed import InstalledDist
from shipyard.install.metadata import Dependencies, MetadataSource, parse
from shipyard.install.target import Target


@dataclass(frozen=True)
class Candidate:
    """A version of a project (with some of its extras) from an index file or already installed."""

    name: NormalizedName
    version: Version
    extras: frozenset[str] = frozenset()
    file: DistFile | None = field(default=None, compare=False, hash=False)
    installed: InstalledDist | None = field(default=None, compare=False, hash=False)

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


def identify(name: str, extras: Iterable[str]) -> str:
    extras = sorted(canonicalize_name(e) for e in extras)
    return f"{canonicalize_name(name)}[{','.join(extras)}]" if extras else canonicalize_name(name)


def pinned_versions(requirement: Requirement) -> set[Version]:
    """Versions a requirement names exactly (``==1.0``, ``===1.0``): those may be yanked."""
    pinned = set()
    for spec in requirement.specifier:
        if spec.operator in ("==", "===") and not spec.version.endswith(".*"):
            try:
                pinned.add(Version(spec.version))
            except InvalidVersion:  # '===' takes any string
                continue
    return pinned


def applies(requirement: Requirement, environment: dict[str, str], extras: Iterable[str] = ("",)) -> bool:
    """Whether a requirement's marker holds for the environment with any of the extras."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**environment, "extra": extra}) for extra in extras)


def without_marker(requirement: Requirement) -> Requirement:
    copy = Requirement(str(requirement))
    copy.marker = None
    return copy


class Provider(AbstractProvider):
    def __init__(self, finder: Finder, metadata: MetadataSource, target: Target,
                 installed: Mapping[NormalizedName, InstalledDist], upgrade: Callable[[str], bool],
                 pre: bool = False, direct: Mapping[NormalizedName, DistFile] | None = None,
                 constraints: Mapping[NormalizedName, SpecifierSet] | None = None, no_deps: bool = False):
        self.finder = finder
        self.metadata = metadata
        self.target = target
        self.installed = installed
        self.upgrade = upgrade
        self.pre = pre
        self.direct = direct or {}
        self.constraints = constraints or {}
        self.no_deps = no_deps
        self._warmed: set[str] = set()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="shipyard-meta")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def identify(self, requirement_or_candidate: Requirement | Candidate) -> str:
        return identify(requirement_or_candidate.name, requirement_or_candidate.extras)

    def get_preference(self, identifier: str, resolutions: Mapping[str, Candidate],
                       candidates: Mapping[str, Iterator[Candidate]],
                       information: Mapping[str, Iterator[RequirementInformation]],
                       backtrack_causes: Sequence[RequirementInformation]) -> tuple:
        infos = list(information[identifier])
        pinned = any(pinned_versions(info.requirement) for info in infos)
        direct = any(info.parent is None for info in infos)
        causes = {self.identify(cause.requirement) for cause in backtrack_causes}
        return (identifier not in causes, not pinned, not direct, identifier)

    def find_matches(self, identifier: str, requirements: Mapping[str, Iterator[Requirement]],
                     incompatibilities: Mapping[str, Iterator[Candidate]]) -> Callable[[], Iterator[Candidate]]:
        name = canonicalize_name(identifier.partition("[")[0])
        extras = frozenset(e for e in identifier.partition("[")[2].rstrip("]").split(",") if e)
        wanted = list(requirements[identifier])
        excluded = {c.version for c in incompatibilities[identifier]}
        specifier = self.constraints.get(name, SpecifierSet())
        pins: set[Version] = set()
        for requirement in wanted:
            specifier &= requirement.specifier
            pins |= pinned_versions(requirement)

        def matches() -> Iterator[Candidate]:
            if name in self.direct:  # a file or URL given directly is the only candidate
                dist = self.direct[name]
                if dist.version not in excluded and specifier.contains(dist.version, prereleases=True):
                    yield Candidate(name, dist.version, extras, file=dist)
                return
            current = self.installed.get(name)
            if current and not self.upgrade(name) and current.version not in excluded \
                    and specifier.contains(current.version, prereleases=True):
                yield Candidate(name, current.version, extras, installed=current)
            try:
                releases = self.finder.releases(name)
            except ProjectNotFound:
                return  # explained with the requirement that asked for it
            usable = {r.version: r for r in releases
                      if r.file is not None and r.version not in excluded and (r.yanked is None or r.version in pins)}
            for version in sorted(specifier.filter(usable, prereleases=True if self.pre else None), reverse=True):
                if not (current and version == current.version and not self.upgrade(name)):
                    yield Candidate(name, version, extras, file=usable[version].file)

        return matches

    def is_satisfied_by(self, requirement: Requirement, candidate: Candidate) -> bool:
        return requirement.specifier.contains(candidate.version, prereleases=True)

    def dependencies_of(self, candidate: Candidate) -> Dependencies:
        if candidate.installed is not None:
            return parse(candidate.installed.metadata_text(), str(candidate.installed.dist_info))
        assert candidate.file is not None
        return self.metadata.of(candidate.file)

    def get_dependencies(self, candidate: Candidate) -> list[Requirement]:
        if self.no_deps:  # an extra still ties to its project's version
            return [Requirement(f"{candidate.name}=={candidate.version}")] if candidate.extras else []
        dependencies = self.dependencies_of(candidate)
        if candidate.name in self.direct and dependencies.requires_python and not SpecifierSet(
                dependencies.requires_python).contains(self.target.python_version, prereleases=True):
            raise ShipyardError(f"{candidate} requires Python {dependencies.requires_python}; "
                                f"the target is Python {self.target.python_version}")
        declared = dependencies.requires_dist
        environment = self.target.markers
        if candidate.extras:
            needed = [Requirement(f"{candidate.name}=={candidate.version}")]
            needed += [without_marker(r) for r in declared if applies(r, environment, candidate.extras)]
        else:
            needed = [without_marker(r) for r in declared if applies(r, environment)]
        self.prefetch(r.name for r in needed if canonicalize_name(r.name) not in self.direct)
        return needed

    def prefetch(self, names: Iterable[str]) -> None:
        """Fetch pages, and the metadata of each project's newest usable version, in the background."""
        with self._lock:
            names = [n for n in {canonicalize_name(n) for n in names}
                     if n not in self.installed and n not in self._warmed]
            self._warmed.update(names)
        self.finder.prefetch(names)
        for name in names:
            try:
                self._pool.submit(self._warm, name)
            except RuntimeError:  # the resolution is over
                return

    def _warm(self, name: str) -> None:
        """The newest usable wheel's metadata, then the same for what it needs, ahead of the resolver."""
        try:
            release = next((r for r in self.finder.releases(name) if r.file is not None and r.yanked is None
                            and (self.pre or not r.version.is_prerelease)), None)
            if release is None or not release.file.is_wheel:
                return
            needs = self.metadata.of(release.file).requires_dist
        except ShipyardError:
            return  # the resolver meets the same error and reports it
        self.prefetch(r.name for r in needs if applies(r, self.target.markers))


@dataclass
class Resolution:
    """The chosen candidates (plain, without extras), by name, and who asked for what."""

    chosen: dict[NormalizedName, Candidate]
    requested: set[NormalizedName]


def resolve(requirements: list[Requirement], finder: Finder, metadata: MetadataSource, target: Target,
            installed: Mapping[NormalizedName, InstalledDist], upgrade: bool = False,
            no_deps: bool = False, pre: bool = False, direct: Mapping[NormalizedName, DistFile] | None = None,
            constraints: list[Requirement] = ()) -> Resolution:
    """Pick a version of every project needed; a clear ShipyardError when none fits.

    `constraints` limit the versions of projects that get installed, without adding any.
    """
    limits: dict[NormalizedName, SpecifierSet] = {}
    for constraint in constraints:
        if applies(constraint, target.markers):
            name = canonicalize_name(constraint.name)
            limits[name] = limits.get(name, SpecifierSet()) & constraint.specifier
    wanted = [without_marker(r) for r in requirements if applies(r, target.markers)]
    requested = {canonicalize_name(r.name) for r in wanted}
    provider = Provider(finder, metadata, target, installed, lambda name: upgrade and name in requested,
                        pre, direct, limits, no_deps)
    provider.prefetch(requested - set(direct or {}))
    try:
        result = Resolver(provider, BaseReporter()).resolve(wanted, max_rounds=2000)
    except ResolutionImpossible as exc:
        raise ShipyardError(explain(exc.causes, finder, target, limits)) from None
    except ResolutionTooDeep:
        raise ShipyardError("the resolver gave up after 2000 rounds of backtracking; pin some versions") from None
    finally:
        provider.close()
    chosen = {c.name: c for c in result.mapping.values() if not c.extras}
    return Resolution(chosen, requested)


def explain(causes: Sequence[RequirementInformation], finder: Finder, target: Target,
            limits: Mapping[NormalizedName, SpecifierSet]) -> str:
    """Which requirements conflict, and what each project offers (and why versions were rejected)."""
    by_name: dict[NormalizedName, list[str]] = {}
    for cause in causes:
        who = f"required by {cause.parent}" if cause.parent else "requested"
        by_name.setdefault(canonicalize_name(cause.requirement.name), []).append(f"{cause.requirement} ({who})")
    lines = ["no set of versions satisfies the requirements:"]
    for name, asks in by_name.items():
        if name in limits:
            asks.append(f"{name}{limits[name]} (constraint)")
        lines.append(f"  {name}: " + "; ".join(dict.fromkeys(asks)))
        try:
            releases = finder.releases(name)
        except ProjectNotFound as exc:
            lines.append(f"    {exc}")
            continue
        usable = [str(r.version) for r in releases if r.reason is None and r.yanked is None]
        shown = ", ".join(usable[:15]) + (f", ... ({len(usable) - 15} more)" if len(usable) > 15 else "")
        lines.append(f"    usable versions for Python {target.python_version}: {shown or 'none'}")
        for release in [r for r in releases if r.reason is not None or r.yanked is not None][:10]:
            why = release.reason or (f"yanked ({release.yanked})" if release.yanked else "yanked")
            lines.append(f"    {name} {release.version}: {why}")
    return "\n".join(lines)
