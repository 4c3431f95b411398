"""Build any project: shipyard-core projects in-process, every other backend through its
own PEP 517 hooks in an isolated, cached environment. (Modules only the isolated path needs
are imported there, to keep the in-process build fast.)

By default the sdist is built first and the wheel from it, so a file the sdist lacks shows
up at build time rather than on a user's machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from shipyard_core.errors import BuildError, UnsupportedLegacy
from shipyard_core.project import PYPROJECT, read_pyproject

OWN_BACKEND = "shipyard_core.backend"
SETUPTOOLS_BACKEND = "setuptools.build_meta:__legacy__"
SETUPTOOLS_REQUIRES = ["setuptools>=40.8.0"]

Reporter = Callable[[str], None]


@dataclass
class BuildSystem:
    backend: str
    requires: list[str]
    backend_path: list[str] | None = None
    #: why this backend was chosen, for the user
    reason: str = ""

    @property
    def in_process(self) -> bool:
        return self.backend == OWN_BACKEND


@dataclass
class BuildOutput:
    sdist: Path | None = None
    wheel: Path | None = None
    backend: str = OWN_BACKEND
    notes: list[str] = field(default_factory=list)


def build_system(root: Path) -> BuildSystem:
    """Which backend builds the project in `root` (PEP 517/518 rules, plus legacy support)."""
    path = root / PYPROJECT
    data = read_pyproject(path) if path.is_file() else {}
    table = data.get("build-system")
    if table is not None:
        backend = table.get("build-backend")
        requires = table.get("requires")
        if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
            raise BuildError("expected an array of requirement strings", file=path, field="[build-system].requires")
        if backend is None:
            return BuildSystem(SETUPTOOLS_BACKEND, requires, reason="no build-backend: setuptools (PEP 517)")
        if not isinstance(backend, str):
            raise BuildError("expected a string like 'package.module:object'", file=path, field="[build-system].build-backend")
        return BuildSystem(backend, requires, table.get("backend-path"), reason="[build-system]")
    if "tool" in data and "setuptools" in data["tool"]:
        return BuildSystem(SETUPTOOLS_BACKEND, list(SETUPTOOLS_REQUIRES), reason="[tool.setuptools] without [build-system]")
    if path.is_file() or (root / "setup.py").is_file() or (root / "setup.cfg").is_file():
        return BuildSystem(OWN_BACKEND, [], reason="no [build-system]: shipyard-core reads the project itself")
    raise BuildError("no pyproject.toml, setup.py or setup.cfg: not a Python project", file=root)


def build(root: str | Path, out_dir: str | Path | None = None, *, sdist: bool = True, wheel: bool = True,
          index_url: str | None = None, report: Reporter = lambda message: None) -> BuildOutput:
    """Build the project in `root` into `out_dir` (default `root/dist`)."""
    root = Path(root).resolve()
    out = Path(out_dir).resolve() if out_dir else root / "dist"
    system = build_system(root)
    if system.in_process:
        try:
            return _build_in_process(root, out, sdist, wheel)
        except UnsupportedLegacy as exc:
            report(f"{exc}\nbuilding with setuptools in an isolated environment instead")
            system = BuildSystem(SETUPTOOLS_BACKEND, list(SETUPTOOLS_REQUIRES), reason="what shipyard cannot reproduce")
    return _build_isolated(root, out, system, sdist, wheel, index_url, report)


def _build_in_process(root: Path, out: Path, sdist: bool, wheel: bool) -> BuildOutput:
    from shipyard_core.build import build as core_build

    result = core_build(root, out, sdist=sdist, wheel=wheel)
    return BuildOutput(result.sdist, result.wheel, OWN_BACKEND, list(result.project.notes))


def _build_isolated(root: Path, out: Path, system: BuildSystem, sdist: bool, wheel: bool,
                    index_url: str | None, report: Reporter) -> BuildOutput:
    import subprocess
    import tempfile

    from pyproject_hooks import BackendUnavailable, BuildBackendHookCaller, HookMissing, quiet_subprocess_runner

    from shipyard.buildenv import get_environment

    report(f"building with {system.backend} ({system.reason}) in an isolated environment with "
           f"{', '.join(system.requires) or 'no requirements'}")
    env = get_environment(system.requires, index_url)
    output = BuildOutput(backend=system.backend)
    out.mkdir(parents=True, exist_ok=True)

    def hooks(source: Path) -> BuildBackendHookCaller:
        return BuildBackendHookCaller(str(source), system.backend, system.backend_path,
                                      runner=quiet_subprocess_runner, python_executable=str(env.python))

    try:
        with tempfile.TemporaryDirectory(prefix="shipyard-build-") as tmp:
            work = Path(tmp)
            source = root
            if sdist:
                caller = hooks(root)
                env.install(caller.get_requires_for_build_sdist(), index_url)
                name = caller.build_sdist(str(work))
                output.sdist = _move(work / name, out)
                if wheel:
                    source = unpack_sdist(output.sdist, work / "unpacked")
            if wheel:
                caller = hooks(source)
                env.install(caller.get_requires_for_build_wheel(), index_url)
                name = caller.build_wheel(str(work))
                output.wheel = _move(work / name, out)
    except (BackendUnavailable, HookMissing) as exc:
        raise BuildError(f"backend {system.backend!r} cannot be used: {exc}", file=root / PYPROJECT,
                         field="[build-system]") from None
    except subprocess.CalledProcessError as exc:  # the backend's own failure
        raise BuildError(f"the {system.backend} backend failed:\n{_output_of(exc)}", file=root) from None
    return output


def _output_of(exc: Exception) -> str:
    parts = [getattr(exc, "stdout", b"") or b"", getattr(exc, "stderr", b"") or b""]
    text = b"".join(p if isinstance(p, bytes) else p.encode() for p in parts).decode(errors="replace")
    return "\n".join(text.strip().splitlines()[-30:])


def _move(path: Path, out: Path) -> Path:
    import shutil

    target = out / path.name
    tmp = out / f".{path.name}.part"
    shutil.copyfile(path, tmp)
    tmp.replace(target)
    return target


def unpack_sdist(sdist: Path, destination: Path) -> Path:
    """Unpack an sdist safely (no paths outside `destination`); returns its top folder."""
    import tarfile

    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(sdist) as archive:
        archive.extractall(destination, filter="data")
    tops = [p for p in destination.iterdir() if p.is_dir()]
    if len(tops) != 1:
        raise BuildError("expected one top folder in the sdist", file=sdist)
    return tops[0]


def build_wheel_from_sdist(sdist: str | Path, out_dir: str | Path, *, index_url: str | None = None,
                           report: Reporter = lambda message: None) -> Path:
    """Unpack an sdist and build its wheel with the sdist's own backend."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="shipyard-rebuild-") as tmp:
        source = unpack_sdist(Path(sdist), Path(tmp))
        result = build(source, out_dir, sdist=False, wheel=True, index_url=index_url, report=report)
    assert result.wheel is not None
    return result.wheel
