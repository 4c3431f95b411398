"""`shipyard install` against a real `shipyard serve` holding small projects (see conftest)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
import pytest
from index_support import Server, free_port, upload

from shipyard.frontend import build


def test_dependencies_extras_markers_yanked_and_sdist(tiny_index, make_venv, shipyard_install, installed):
    venv = make_venv()
    result = shipyard_install("beta[fast]", "--index-url", tiny_index.simple, "--python", venv.path)
    # alpha 3.0 is yanked; delta's marker is false; gamma comes from its sdist (built here)
    assert installed(venv) == {"alpha": "2.0", "beta": "1.0", "epsilon": "1.0", "gamma": "1.0"}
    assert " + gamma==1.0" in result.stdout
    assert venv.run("-c", "import gamma, alpha; print(gamma.__version__, alpha.__version__)").stdout.split() \
        == ["1.0", "2.0"]
    assert venv.run(venv.bin("alpha")).stdout.strip() == "alpha 2.0"  # console script on the venv's python
    assert venv.bin("beta").read_text().startswith(f"#!{venv.python}")
    site = next((venv.path / "lib").glob("python3*/site-packages"))
    assert (site / "beta-1.0.dist-info" / "INSTALLER").read_text() == "shipyard\n"
    assert (site / "beta-1.0.dist-info" / "REQUESTED").exists()
    assert not (site / "alpha-2.0.dist-info" / "REQUESTED").exists()
    assert (site / "alpha-2.0.dist-info" / "RECORD").read_text().count("alpha/__init__.py") == 1


def test_a_pinned_yanked_version_is_installed(tiny_index, make_venv, shipyard_install, installed):
    venv = make_venv()
    shipyard_install("alpha==3.0", "--index-url", tiny_index.simple, "--python", venv.python)
    assert installed(venv) == {"alpha": "3.0"}


def test_installed_versions_are_kept_then_upgraded_cleanly(tiny_index, make_venv, shipyard_install, installed):
    venv = make_venv()
    shipyard_install("alpha==1.0", "--index-url", tiny_index.simple, "--python", venv.path)
    site = venv.run("-c", "import alpha, os; print(os.path.dirname(alpha.__file__))").stdout.strip()
    assert venv.run("-c", "import alpha.old").returncode == 0

    result = shipyard_install("beta", "--index-url", tiny_index.simple, "--python", venv.path)
    assert installed(venv)["alpha"] == "1.0"  # alpha>=1 is satisfied: left alone
    assert "1 already satisfied" in result.stderr

    result = shipyard_install("--upgrade", "alpha", "--index-url", tiny_index.simple, "--python", venv.path)
    assert " - alpha==1.0\n + alpha==2.0" in result.stdout
    assert installed(venv)["alpha"] == "2.0"
    assert venv.run("-c", "import alpha.old", check=False).returncode != 0  # 1.0's own file is gone
    assert not list((venv.path / "lib").glob("*/site-packages/alpha-1.0.dist-info"))
    assert venv.run(venv.bin("alpha")).stdout.strip() == "alpha 2.0"
    assert site


def test_conflict_names_both_requirements(tiny_index, make_venv, shipyard_install):
    venv = make_venv()
    result = shipyard_install("alpha>=2", "oldalpha", "--index-url", tiny_index.simple, "--python", venv.path,
                              check=False)
    assert result.returncode == 1
    assert "alpha>=2 (requested)" in result.stderr
    assert "alpha<2 (required by oldalpha 1.0)" in result.stderr
    assert not list((venv.path / "lib").glob("*/site-packages/*.dist-info"))


def test_no_usable_version_says_why_each_was_rejected(tiny_index, make_venv, shipyard_install):
    venv = make_venv()
    result = shipyard_install("future>=1", "--index-url", tiny_index.simple, "--python", venv.path, check=False)
    assert result.returncode == 1
    assert "future 1.0: requires Python >=3.99" in result.stderr
    result = shipyard_install("alpha>2", "--index-url", tiny_index.simple, "--python", venv.path, check=False)
    assert "alpha 3.0: yanked (broken)" in result.stderr
    assert "usable versions" in result.stderr and "2.0, 1.0" in result.stderr
    result = shipyard_install("winonly", "--index-url", tiny_index.simple, "--python", venv.path, check=False)
    assert "winonly 1.0: no wheel for this interpreter (winonly-1.0-cp27-cp27m-win32.whl) and no sdist" \
        in result.stderr
    result = shipyard_install("nosuchthing", "--index-url", tiny_index.simple, "--python", venv.path, check=False)
    assert "nosuchthing (requested)" in result.stderr
    assert f"no project named 'nosuchthing' on {tiny_index.simple}" in result.stderr
    result = shipyard_install("orphan", "--index-url", tiny_index.simple, "--python", venv.path, check=False)
    assert "nosuchdep>=1 (required by orphan 1.0)" in result.stderr and "no project named 'nosuchdep'" in result.stderr


def test_dry_run_json_changes_nothing(tiny_index, make_venv, shipyard_install, installed, install_env):
    venv = make_venv()
    result = shipyard_install("beta", "--dry-run", "--json", "--index-url", tiny_index.simple, "--python", venv.path)
    cache = Path(install_env["SHIPYARD_CACHE_DIR"]) / "install"
    assert len(list(cache.glob("metadata/*/*"))) == 3  # PEP 658 files: no wheel was downloaded to resolve
    assert not list(cache.glob("files/*/*/*"))
    report = json.loads(result.stdout)
    assert report["dry_run"] is True
    assert {(p["name"], p["version"], p["requested"]) for p in report["install"]} == {
        ("alpha", "2.0", False), ("beta", "1.0", True), ("epsilon", "1.0", False)}
    assert installed(venv) == {}


def test_no_deps_and_target_dir(tiny_index, make_venv, shipyard_install, tmp_path):
    venv = make_venv()
    shipyard_install("beta", "--no-deps", "--index-url", tiny_index.simple, "--python", venv.path)
    assert venv.run("-c", "import beta").returncode == 0
    assert venv.run("-c", "import alpha", check=False).returncode != 0
    target = tmp_path / "vendor"
    shipyard_install("beta", "--target", target, "--index-url", tiny_index.simple)
    assert sorted(p.name for p in target.glob("*.dist-info")) == [
        "alpha-2.0.dist-info", "beta-1.0.dist-info", "epsilon-1.0.dist-info"]
    assert (target / "bin" / "alpha").exists()


def test_lock_round_trip_and_tampering(tiny_index, make_venv, shipyard_install, installed, tmp_path):
    lock = tmp_path / "pylock.toml"
    venv = make_venv()
    shipyard_install("beta[fast]", "--lock", lock, "--dry-run", "--index-url", tiny_index.simple,
                     "--python", venv.path)
    assert installed(venv) == {}
    data = tomllib.loads(lock.read_text())
    assert data["lock-version"] == "1.0" and data["created-by"] == "shipyard"
    packages = {p["name"]: p for p in data["packages"]}
    assert {n: p["version"] for n, p in packages.items()} == {"alpha": "2.0", "beta": "1.0", "epsilon": "1.0",
                                                              "gamma": "1.0"}
    wheel = packages["alpha"]["wheels"][0]
    assert wheel["name"] == "alpha-2.0-py3-none-any.whl" and wheel["size"] > 0
    assert httpx.get(wheel["url"]).content and len(wheel["hashes"]["sha256"]) == 64
    assert packages["gamma"]["sdist"]["name"] == "gamma-1.0.tar.gz"
    assert packages["alpha"]["index"] == tiny_index.simple

    fresh = make_venv("fresh")
    shipyard_install("--from-lock", lock, "--python", fresh.path)
    assert installed(fresh) == {"alpha": "2.0", "beta": "1.0", "epsilon": "1.0", "gamma": "1.0"}

    digest = packages["epsilon"]["wheels"][0]["hashes"]["sha256"]
    lock.write_text(lock.read_text().replace(f'sha256 = "{digest}"', f'sha256 = "{"0" * 64}"'))
    other = make_venv("other")
    result = shipyard_install("--from-lock", lock, "--python", other.path, check=False)
    assert result.returncode == 1 and "hash mismatch" in result.stderr
    assert installed(other) == {}


def test_requirements_files(tiny_index, make_venv, shipyard_install, installed, tmp_path):
    (tmp_path / "base.txt").write_text("# the base\nalpha==1.0  # pinned\n")
    (tmp_path / "req.txt").write_text(f"-r base.txt\n--index-url {tiny_index.simple}\nbeta \\\n  >=1.0\n")
    venv = make_venv()
    shipyard_install("-r", tmp_path / "req.txt", "--python", venv.path)
    assert installed(venv) == {"alpha": "1.0", "beta": "1.0", "epsilon": "1.0"}
    (tmp_path / "bad.txt").write_text("-e .\n")
    result = shipyard_install("-r", tmp_path / "bad.txt", "--python", venv.path, check=False)
    assert result.returncode == 1 and "'-e' is not supported" in result.stderr


def test_constraints_limit_versions_without_adding_packages(tiny_index, make_venv, shipyard_install, installed,
                                                            tmp_path):
    (tmp_path / "c.txt").write_text("alpha<2\ndelta==1.0\nepsilon<1; sys_platform == 'win32'\n")
    (tmp_path / "req.txt").write_text("-c c.txt\nbeta\n")
    venv = make_venv()
    shipyard_install("-r", tmp_path / "req.txt", "--index-url", tiny_index.simple, "--python", venv.path)
    assert installed(venv) == {"alpha": "1.0", "beta": "1.0", "epsilon": "1.0"}
    result = shipyard_install("alpha>=2", "-c", tmp_path / "c.txt", "--index-url", tiny_index.simple,
                              "--python", make_venv("other").path, check=False)
    assert result.returncode == 1 and "alpha>=2 (requested); alpha<2 (constraint)" in result.stderr


def test_no_environment_is_an_error_not_the_system_python(shipyard_install):
    result = shipyard_install("alpha", check=False)
    assert result.returncode == 1
    assert "no virtual environment is active" in result.stderr and "--python" in result.stderr


def test_a_system_managed_python_is_refused(shipyard_install, tmp_path):
    marker = Path("/usr/lib/python3.11/EXTERNALLY-MANAGED")
    if not (marker.exists() and Path("/usr/bin/python3.11").exists()):
        pytest.skip("no PEP 668 system Python here")
    result = shipyard_install("alpha", "--dry-run", "--python", "/usr/bin/python3.11", check=False)
    assert result.returncode == 1 and "PEP 668" in result.stderr and "--break-system-packages" in result.stderr


def test_active_virtualenv_is_the_default(tiny_index, make_venv, shipyard_install, installed, install_env):
    venv = make_venv()
    shipyard_install("epsilon", "--index-url", tiny_index.simple, env={**install_env, "VIRTUAL_ENV": str(venv.path)})
    assert installed(venv) == {"epsilon": "1.0"}


def test_unreachable_index_is_a_clear_error(make_venv, shipyard_install):
    venv = make_venv()
    url = f"http://127.0.0.1:{free_port()}/simple/"
    result = shipyard_install("alpha", "--index-url", url, "--python", venv.path, check=False)
    assert result.returncode == 1 and f"cannot fetch {url}alpha/" in result.stderr


def test_html_and_json_pages_describe_the_same_files(tiny_index):
    from packaging.utils import canonicalize_name

    from shipyard.install.finder import parse_html_page, parse_json_page

    url = f"{tiny_index.simple}alpha/"
    page_json = httpx.get(url, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    page_html = httpx.get(url, headers={"Accept": "text/html"})
    assert page_html.headers["content-type"].startswith("text/html")
    name = canonicalize_name("alpha")
    from_json = parse_json_page(name, page_json.json(), url, tiny_index.simple)
    from_html = parse_html_page(name, page_html.text, url, tiny_index.simple)
    fields = lambda files: sorted((f.filename, f.url, f.sha256, f.yanked, f.metadata is not None) for f in files)
    assert fields(from_json) == fields(from_html)
    assert {f.filename: f.yanked for f in from_html}["alpha-3.0-py3-none-any.whl"] == "broken"


@pytest.mark.parametrize("content", ["not toml [", 'lock-version = "2.0"\n'])
def test_bad_lock_files(content, make_venv, shipyard_install, tmp_path):
    lock = tmp_path / "pylock.toml"
    lock.write_text(content)
    result = shipyard_install("--from-lock", lock, "--python", make_venv().path, check=False)
    assert result.returncode == 1 and "pylock.toml" in result.stderr


def test_pre_releases_only_when_asked(tiny_index, make_venv, shipyard_install):
    venv = make_venv()
    picks = lambda *args: {p["name"]: p["version"] for p in json.loads(shipyard_install(
        *args, "--dry-run", "--json", "--index-url", tiny_index.simple, "--python", venv.path).stdout)["install"]}
    assert picks("epsilon") == {"epsilon": "1.0"}
    assert picks("epsilon", "--pre") == {"epsilon": "2.0b1"}
    assert picks("epsilon>=2.0b1") == {"epsilon": "2.0b1"}


def test_a_static_html_only_index(tiny_index, make_venv, shipyard_install, installed, tmp_path):
    """PEP 503 HTML from plain files (`shipyard index export` behind `python -m http.server`)."""
    site = tmp_path / "static"
    tiny_index.server.cli("export", str(site))
    (site / "packages").symlink_to(tiny_index.server.data / "files" / "packages")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/simple/"
        for _ in range(100):
            try:
                if httpx.get(url).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        assert httpx.get(url + "alpha/").headers["content-type"].startswith("text/html")
        venv = make_venv()
        shipyard_install("beta[fast]", "--index-url", url, "--python", venv.path)
        assert installed(venv) == {"alpha": "2.0", "beta": "1.0", "epsilon": "1.0", "gamma": "1.0"}
        # HTML pages give no sizes: locking downloads what it must describe
        lock = tmp_path / "pylock.toml"
        shipyard_install("beta[fast]", "--lock", lock, "--dry-run", "--index-url", url, "--python", venv.path)
        packages = tomllib.loads(lock.read_text())["packages"]
        files = [p["wheels"][0] if "wheels" in p else p["sdist"] for p in packages]
        assert len(files) == 4 and all(f["size"] > 0 and len(f["hashes"]["sha256"]) == 64 for f in files)
    finally:
        server.terminate()
        server.wait(10)


def test_direct_references_paths_folders_and_urls(tiny_index, make_venv, shipyard_install, installed, tmp_path,
                                                   project_writer):
    venv = make_venv()
    app = project_writer(tmp_path, {"name": "localapp", "version": "0.1", "dependencies": ["alpha<2"]})
    gamma = tiny_index.dists / "gamma-1.0.tar.gz"
    epsilon = tiny_index.dists / "epsilon-1.0-py3-none-any.whl"
    shipyard_install(app, gamma, epsilon, "--index-url", tiny_index.simple, "--python", venv.path)
    assert installed(venv) == {"localapp": "0.1", "alpha": "1.0", "gamma": "1.0", "epsilon": "1.0"}
    assert venv.run(venv.bin("localapp")).stdout.strip() == "localapp 0.1"

    # a folder is rebuilt and reinstalled even at the same version: its source may have changed
    (app / "localapp" / "__init__.py").write_text('def main():\n    print("changed")\n')
    result = shipyard_install(app, "--index-url", tiny_index.simple, "--python", venv.path)
    assert " - localapp==0.1\n + localapp==0.1" in result.stdout
    assert venv.run(venv.bin("localapp")).stdout.strip() == "changed"

    page = httpx.get(f"{tiny_index.simple}delta/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}).json()
    wheel = next(f for f in page["files"] if f["filename"].endswith(".whl"))
    url = httpx.URL(f"{tiny_index.simple}delta/").join(wheel["url"])
    other = make_venv("other")
    shipyard_install(f"delta @ {url}", f"epsilon @ {epsilon.as_uri()}", "--index-url", tiny_index.simple,
                     "--python", other.path)
    assert installed(other) == {"delta": "1.0", "epsilon": "1.0"}

    result = shipyard_install(f"alpha @ {epsilon.as_uri()}", "--python", other.path, check=False)
    assert result.returncode == 1 and "the file is epsilon 1.0, not alpha" in result.stderr
    result = shipyard_install(f"delta @ {url}#sha256={'0' * 64}", "--python", make_venv("third").path, check=False)
    assert result.returncode == 1 and "hash mismatch" in result.stderr


def test_a_direct_file_for_another_python_is_refused(tiny_index, make_venv, shipyard_install):
    wheel = tiny_index.dists / "future-1.0-py3-none-any.whl"
    result = shipyard_install(wheel, "--python", make_venv().path, check=False)
    assert result.returncode == 1 and "future 1.0 requires Python >=3.99" in result.stderr


def test_reinstall_and_bytecode_for_the_target_interpreter(tiny_index, make_venv, shipyard_install, installed):
    venv = make_venv()
    shipyard_install("beta", "--index-url", tiny_index.simple, "--python", venv.path)
    site = next((venv.path / "lib").glob("python3*/site-packages"))
    assert not list(site.glob("alpha/__pycache__/*.pyc"))  # not compiled by default (like uv)
    (site / "alpha" / "__init__.py").write_text("broken = True\n")
    result = shipyard_install("beta", "--reinstall", "--compile", "--index-url", tiny_index.simple,
                              "--python", venv.path)
    assert " - alpha==2.0\n + alpha==2.0" in result.stdout
    assert venv.run(venv.bin("alpha")).stdout.strip() == "alpha 2.0"
    tag = venv.run("-c", "import sys; print(sys.implementation.cache_tag)").stdout.strip()
    assert (site / "alpha" / "__pycache__" / f"__init__.{tag}.pyc").exists()
    assert installed(venv) == {"alpha": "2.0", "beta": "1.0", "epsilon": "1.0"}


def test_a_private_index_needs_and_takes_credentials(tmp_path_factory, make_venv, shipyard_install, installed,
                                                     project_writer):
    root = tmp_path_factory.mktemp("private")
    server = Server(root / "data", ("--quiet", "--private"))
    server.add_user("alice")
    server.start()
    try:
        token = server.token("alice")
        wheel = build(project_writer(root, {"name": "secret", "version": "1.0"}), root / "dist").wheel
        assert upload(server.url, wheel, token).status_code == 200
        venv = make_venv()
        result = shipyard_install("secret", "--index-url", f"{server.url}/simple/", "--python", venv.path,
                                  check=False)
        assert result.returncode == 1 and "HTTP 401" in result.stderr and "credentials" in result.stderr
        shipyard_install("secret", "--index-url", f"http://__token__:{token}@127.0.0.1:{server.port}/simple/",
                         "--python", venv.path)
        assert installed(venv) == {"secret": "1.0"}
    finally:
        server.stop()
