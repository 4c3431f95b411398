"""Install test fixtures: a real `shipyard serve` with small projects built by shipyard itself.

The projects (each built from a pyproject.toml with shipyard's own backend, then uploaded):

- alpha 1.0, 2.0, 3.0 (3.0 yanked): a module with `main` and an `alpha` console script
- beta 1.0: needs alpha>=1, epsilon (on Linux), delta (only on Python 2); extra `fast` = gamma
- gamma 1.0: only an sdist (installing it builds a wheel)
- delta 1.0, epsilon 1.0 and 2.0b1 (a pre-release): leaves
- oldalpha 1.0: needs alpha<2 (conflicts with alpha>=2)
- orphan 1.0: needs nosuchdep, which no index has
- future 0.5 (any Python) and 1.0 (Requires-Python >=3.99)
- winonly 1.0: one wheel, for CPython 2.7 on 32-bit Windows only
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "index"))

from index_support import Server, upload

PROJECTS: list[dict] = [
    {"name": "alpha", "version": "1.0", "only_in": "old.py"},
    {"name": "alpha", "version": "2.0"},
    {"name": "alpha", "version": "3.0", "yank": "broken"},
    {"name": "beta", "version": "1.0",
     "dependencies": ["alpha>=1", "epsilon; sys_platform == 'linux'", "delta; python_version < '3'"],
     "extras": {"fast": ["gamma"]}},
    {"name": "gamma", "version": "1.0", "sdist_only": True},
    {"name": "delta", "version": "1.0"},
    {"name": "epsilon", "version": "1.0"},
    {"name": "epsilon", "version": "2.0b1"},
    {"name": "oldalpha", "version": "1.0", "dependencies": ["alpha<2"]},
    {"name": "orphan", "version": "1.0", "dependencies": ["nosuchdep>=1"]},
    {"name": "future", "version": "0.5"},
    {"name": "future", "version": "1.0", "requires_python": ">=3.99"},
]


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def write_project(root: Path, spec: dict) -> Path:
    """A pyproject.toml project with shipyard's backend; `main()` prints '<name> <version>'."""
    name, version = spec["name"], spec["version"]
    folder = root / f"{name}-{version}"
    (folder / name).mkdir(parents=True)
    lines = ["[build-system]", 'requires = ["shipyard-core"]', 'build-backend = "shipyard_core.backend"', "",
             "[project]", f'name = "{name}"', f'version = "{version}"', 'description = "an install test project"',
             f"dependencies = {_toml_list(spec.get('dependencies', []))}"]
    if "requires_python" in spec:
        lines.append(f'requires-python = "{spec["requires_python"]}"')
    lines += ["", "[project.scripts]", f'{name} = "{name}:main"']
    if spec.get("extras"):
        lines += ["", "[project.optional-dependencies]"]
        lines += [f"{extra} = {_toml_list(reqs)}" for extra, reqs in spec["extras"].items()]
    (folder / "pyproject.toml").write_text("\n".join(lines) + "\n")
    (folder / name / "__init__.py").write_text(
        f'__version__ = "{version}"\n\n\ndef main():\n    print("{name} {version}")\n')
    if "only_in" in spec:
        (folder / name / spec["only_in"]).write_text("OLD = True\n")
    return folder


def platform_wheel(directory: Path, name: str, version: str, tag: str) -> Path:
    """A wheel for one platform tag (hand-written: shipyard builds pure wheels only)."""
    import base64
    import hashlib
    import zipfile

    info = f"{name}-{version}.dist-info"
    files = {f"{name}/__init__.py": b"",
             f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
             f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: false\nTag: {tag}\n".encode()}
    record = "".join(f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},"
                     f"{len(data)}\n" for path, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    path = directory / f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return path


@pytest.fixture
def project_writer():
    """`project_writer(root, spec)`: write a project like the index's (see PROJECTS) and return its folder."""
    return write_project


@dataclass
class TinyIndex:
    server: Server
    dists: Path

    @property
    def simple(self) -> str:
        return f"{self.server.url}/simple/"


@pytest.fixture(scope="session")
def tiny_index(tmp_path_factory) -> TinyIndex:
    from shipyard.frontend import build

    root = tmp_path_factory.mktemp("install-index")
    server = Server(root / "data", ("--quiet",))
    server.add_user("alice")
    server.start()
    token = server.token("alice")
    dists = root / "dists"
    for spec in PROJECTS:
        result = build(write_project(root / "src", spec), dists)
        files = [result.sdist] if spec.get("sdist_only") else [result.sdist, result.wheel]
        for path in files:
            response = upload(server.url, path, token)
            assert response.status_code == 200, response.text
        if "yank" in spec:
            server.cli("project", "yank", spec["name"], spec["version"], "--reason", spec["yank"])
    response = upload(server.url, platform_wheel(dists, "winonly", "1.0", "cp27-cp27m-win32"), token)
    assert response.status_code == 200, response.text
    yield TinyIndex(server, dists)
    server.stop()


@pytest.fixture
def install_env(tmp_path) -> dict[str, str]:
    """Environment for shipyard subprocesses: a private cache, no active virtualenv."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "SHIPYARD_INDEX_URL")}
    env["SHIPYARD_CACHE_DIR"] = str(tmp_path / "cache")
    return env


@pytest.fixture
def shipyard_install(install_env):
    """Run `shipyard install ARGS` in a subprocess; check=False to inspect a failure."""

    def invoke(*args: str | os.PathLike, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "shipyard", "install", *map(str, args)],
                                capture_output=True, text=True, env=env or install_env, timeout=300,
                                check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"shipyard install failed ({result.returncode})\n--- stdout\n{result.stdout}"
                                 f"\n--- stderr\n{result.stderr}")
        return result

    return invoke


@pytest.fixture
def installed():
    """`installed(venv)`: name -> version of every distribution there, asked of the venv's interpreter."""
    code = ("import json, importlib.metadata as m; "
            "print(json.dumps({d.metadata['Name'].lower(): d.version for d in m.distributions()}))")
    return lambda venv: json.loads(venv.run("-c", code).stdout)
