"""Real clients against a real server: pip, uv, twine, uv publish (PEP 658 metadata, yanking)."""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import index_dists
import pytest
from index_support import Server, run

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server with an access log (to see what pip fetched), user carol and her token."""
    data = tmp_path_factory.mktemp("clients") / "data"
    server = Server(data, ())
    server.add_user("carol")
    server.start()
    server.carol_token = server.token("carol")
    yield server
    server.stop()


def hatch_project(root: Path, name: str, version: str, dependencies: list[str] = ()) -> Path:
    """A hatchling project built with pypa/build (no isolation: hatchling is installed here)."""
    module = name.replace("-", "_")
    (root / module).mkdir(parents=True)
    (root / module / "__init__.py").write_text(f'VERSION = "{version}"\n')
    (root / "README.md").write_text(f"# {name}\n\nA demo.\n")
    deps = ", ".join(f'"{d}"' for d in dependencies)
    (root / "pyproject.toml").write_text(textwrap.dedent(f"""
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"

        [project]
        name = "{name}"
        version = "{version}"
        description = "demo for the index tests"
        readme = "README.md"
        requires-python = ">=3.8"
        dependencies = [{deps}]
    """))
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", root / "dist", root)
    return root / "dist"


@pytest.fixture(scope="module")
def published(server, tmp_path_factory):
    """hatch-lib (twine), hatch-app depending on it (uv publish), yank-me 1.0 and yanked 2.0."""
    root = tmp_path_factory.mktemp("client-projects")
    lib = hatch_project(root / "lib", "hatch-lib", "0.3")
    app = hatch_project(root / "app", "hatch-app", "1.0", ["hatch-lib>=0.2"])
    twine = [BIN / "twine", "upload", "--disable-progress-bar", "--non-interactive",
             "--repository-url", f"{server.url}/legacy/", "-u", "__token__", "-p", server.carol_token]
    first = run(*twine, *sorted(lib.iterdir()))
    assert "Uploading hatch_lib-0.3" in first.stdout + first.stderr
    rerun = run(*twine, "--verbose", *sorted(lib.iterdir()), check=False)  # twine shows the body with --verbose
    assert rerun.returncode != 0 and "File already exists" in rerun.stdout + rerun.stderr
    uv_publish = [BIN / "uv", "publish", "--publish-url", f"{server.url}/legacy/", "--token", server.carol_token]
    run(*uv_publish, *sorted(app.iterdir()))
    again = run(*uv_publish, "--check-url", f"{server.url}/simple/", *sorted(app.iterdir()))
    assert "skipping" in (again.stdout + again.stderr).lower()
    wheels = root / "yank"
    wheels.mkdir()
    for version in ("1.0", "2.0"):
        assert server.upload(index_dists.wheel(wheels, "yank-me", version), server.carol_token).status_code == 200
    server.cli("project", "yank", "yank-me", "2.0", "--reason", "oops")
    return server


def pip(*args, check: bool = True):
    return run(sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-cache-dir", *args, check=check)


def test_pip_install_fetches_metadata_not_wheels(published, make_venv) -> None:
    venv = make_venv()
    log_start = published.log.stat().st_size
    report = pip("--python", venv.python, "install", "--dry-run", "--quiet", "--report", "-",
                 "--index-url", f"{published.url}/simple/", "hatch-app")
    assert '"name": "hatch-lib"' in report.stdout and '"name": "hatch-app"' in report.stdout
    log = published.log.read_text()[log_start:]
    assert re.search(r"GET /packages/\w+/hatch_app-1\.0-py3-none-any\.whl\.metadata", log)
    assert re.search(r"GET /packages/\w+/hatch_lib-0\.3-py3-none-any\.whl\.metadata", log)
    assert not re.search(r"GET /packages/\S+\.whl HTTP", log), log
    venv.pip("install", "--no-cache-dir", "--index-url", f"{published.url}/simple/", "hatch-app")
    assert venv.run("-c", "import hatch_app, hatch_lib; print(hatch_lib.VERSION)").stdout.strip() == "0.3"


def test_pip_download_and_index_versions(published, tmp_path) -> None:
    pip("download", "--no-deps", "--dest", tmp_path, "--index-url", f"{published.url}/simple/", "hatch-lib")
    assert [p.name for p in tmp_path.iterdir()] == ["hatch_lib-0.3-py3-none-any.whl"]
    versions = pip("index", "versions", "--index-url", f"{published.url}/simple/", "hatch-lib")
    assert "hatch-lib (0.3)" in versions.stdout


def test_pip_skips_yanked_unless_pinned(published, make_venv) -> None:
    venv = make_venv()
    venv.pip("install", "--no-cache-dir", "--index-url", f"{published.url}/simple/", "yank-me")
    assert venv.run("-c", "import yank_me; print(yank_me.__version__)").stdout.strip() == "1.0"
    pinned = venv.pip("install", "--no-cache-dir", "--index-url", f"{published.url}/simple/", "yank-me==2.0")
    assert "yanked" in pinned.stderr.lower() and "oops" in pinned.stderr
    assert venv.run("-c", "import yank_me; print(yank_me.__version__)").stdout.strip() == "2.0"


def test_uv_pip_install(published, make_venv) -> None:
    venv = make_venv()
    run(BIN / "uv", "pip", "install", "--no-cache", "--python", venv.python, "--index-url", f"{published.url}/simple/", "hatch-app", "yank-me")
    out = venv.run("-c", "import hatch_app, hatch_lib, yank_me; print(hatch_lib.VERSION, yank_me.__version__)").stdout
    assert out.split() == ["0.3", "1.0"]


def test_private_index_needs_credentials(tmp_path, make_venv) -> None:
    server = Server(tmp_path / "private", ("--private", "--quiet"))
    server.add_user("dora")
    server.start()
    try:
        token = server.token("dora")
        assert server.upload(index_dists.wheel(tmp_path, "secret-pkg", "1.0"), token).status_code == 200
        import httpx

        assert httpx.get(f"{server.url}/simple/secret-pkg/").status_code == 401
        assert httpx.get(f"{server.url}/simple/secret-pkg/", auth=("__token__", token)).status_code == 200
        venv = make_venv()
        denied = venv.pip("install", "--no-cache-dir", "--no-input", "--index-url", f"{server.url}/simple/", "secret-pkg", check=False)
        assert denied.returncode != 0
        host = server.url.removeprefix("http://")
        venv.pip("install", "--no-cache-dir", "--index-url", f"http://__token__:{token}@{host}/simple/", "secret-pkg")
        assert venv.run("-c", "import secret_pkg").returncode == 0
    finally:
        server.stop()


def test_shipyard_publish_and_skip_existing(server, tmp_path) -> None:
    from index_support import shipyard_cli

    dists = [index_dists.wheel(tmp_path, "published-by-shipyard", "1.0"), index_dists.sdist(tmp_path, "published-by-shipyard", "1.0")]
    target = ("--repository-url", f"{server.url}/legacy/", "-u", "__token__", "-p", server.carol_token)
    first = shipyard_cli("publish", *target, *dists)
    assert "2 uploaded" in first.stdout + first.stderr
    again = shipyard_cli("publish", "--skip-existing", *target, *dists)
    assert "2 skipped" in again.stdout + again.stderr
