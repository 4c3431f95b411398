"""Real clients build and install shipyard-core projects: pip, pip -e, pypa/build, uv."""

from __future__ import annotations

import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from shipyard_core.build import build

sys.path.insert(0, str(Path(__file__).parent.parent))
from conftest import REPO, run, tool  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory) -> Path:
    """A folder with shipyard-core's own wheel, so isolated builds can install the backend."""
    house = tmp_path_factory.mktemp("wheelhouse")
    build(copy_core(tmp_path_factory.mktemp("core")), house, sdist=False)
    return house


def copy_core(destination: Path) -> Path:
    """shipyard-core's source as a plain folder (the checkout's untracked files stay out of it)."""
    shutil.copytree(REPO / "core", destination / "core", ignore=shutil.ignore_patterns("dist", "__pycache__"))
    return destination / "core"


def test_wheel_installs_imports_and_runs_its_script(sample: Path, tmp_path: Path, make_venv) -> None:
    wheel = build(sample, tmp_path / "dist").wheel
    venv = make_venv()
    venv.pip("install", "--no-deps", wheel)
    assert run(venv.bin("sample-hello"), "world").stdout == "hello from sample world\n"
    check = venv.run("-c", "import importlib.metadata as m; from sample_project.sub.mod import VALUE;"
                           "ep = m.entry_points(group='sample.plugins')['basic'].load();"
                           "print(VALUE, ep(), m.version('sample-project'), m.metadata('sample-project')['License-Expression'])")
    assert check.stdout == "42 basic 1.2.3 MIT OR Apache-2.0\n"
    files = venv.run("-c", "import importlib.metadata as m; print(sorted(str(f) for f in m.files('sample-project')))").stdout
    assert "sample_project-1.2.3.dist-info/licenses/LICENSE" in files


def test_pip_install_from_source_tree(sample: Path, make_venv, wheelhouse: Path) -> None:
    venv = make_venv()
    venv.pip("install", "--no-deps", "--find-links", wheelhouse, sample)
    assert run(venv.bin("sample-hello")).stdout == "hello from sample\n"


def test_pip_editable_install_is_live(sample: Path, make_venv, wheelhouse: Path) -> None:
    venv = make_venv()
    venv.pip("install", "--no-deps", "--find-links", wheelhouse, "-e", sample)
    assert run(venv.bin("sample-hello")).stdout == "hello from sample\n"
    (sample / "src/sample_project/greeting.txt").write_text("edited greeting\n")
    (sample / "src/sample_project/sub/mod.py").write_text("VALUE = 43\n")
    assert run(venv.bin("sample-hello")).stdout == "edited greeting\n"
    assert venv.run("-c", "from sample_project.sub.mod import VALUE; print(VALUE)").stdout == "43\n"


def test_pypa_build_with_isolation(sample: Path, tmp_path: Path, wheelhouse: Path, monkeypatch) -> None:
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheelhouse))
    run(sys.executable, "-m", "build", "--outdir", tmp_path / "out", sample)
    built = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert built == ["sample_project-1.2.3-py3-none-any.whl", "sample_project-1.2.3.tar.gz"]
    ours = build(sample, tmp_path / "ours")
    assert (tmp_path / "out" / ours.wheel.name).read_bytes() == ours.wheel.read_bytes()
    assert (tmp_path / "out" / ours.sdist.name).read_bytes() == ours.sdist.read_bytes()


def test_uv_build(sample: Path, tmp_path: Path, wheelhouse: Path) -> None:
    run(tool("uv"), "build", "--find-links", wheelhouse, "--out-dir", tmp_path / "out", sample)
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))
    assert names == ["sample_project-1.2.3-py3-none-any.whl", "sample_project-1.2.3.tar.gz"]
    with zipfile.ZipFile(tmp_path / "out" / names[0]) as wheel:
        assert "sample_project/greeting.txt" in wheel.namelist()


def test_shipyard_builds_itself_and_pip_installs_it(tmp_path: Path, make_venv) -> None:
    """The self-hosting claim: shipyard-core builds shipyard-core and shipyard (from a copy)."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo, ignore=shutil.ignore_patterns(".git", ".venv", "dist", "__pycache__", ".work"))
    core = build(repo / "core", tmp_path / "dist")
    tool_ = build(repo, tmp_path / "dist")
    assert "shipyard-0.1.0/core/src/shipyard_core/backend.py" in tarfile.open(tool_.sdist).getnames()  # backend-path
    venv = make_venv()
    venv.pip("install", "--no-deps", core.wheel, tool_.wheel)
    assert run(venv.bin("shipyard"), "--version").stdout == "shipyard 0.1.0\n"
    found = venv.run("-c", "import importlib.util as u; print(u.find_spec('shipyard.frontend').origin)").stdout
    assert found.strip().endswith("site-packages/shipyard/frontend.py")
