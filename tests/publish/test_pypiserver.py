"""shipyard publish against a real pypiserver with authentication, then pip installs from it."""

from __future__ import annotations

import hashlib

import pytest

from publish_servers import PASSWORD, USER, start_pypiserver
from tests_publish_helpers import cli, credentials_env

pytestmark = pytest.mark.slow


def test_upload_then_pip_install_and_import(pypiserver, demo_dists, clean_env, make_venv):
    result = cli("publish", *demo_dists["1.0"], "--repository-url", pypiserver.url,
                 env=credentials_env(clean_env))
    assert result.returncode == 0, result.stderr
    assert "2 uploaded" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
    stored = {p.name for p in pypiserver.packages.iterdir()}
    assert stored == {p.name for p in demo_dists["1.0"]}
    venv = make_venv()
    venv.pip("install", "--index-url", pypiserver.simple, "ship-demo==1.0")
    assert venv.run("-c", "import ship_demo; print(ship_demo.VALUE)").stdout.strip() == "1.0"


def test_sdist_is_uploaded_before_the_wheel(pypiserver, demo_dists, clean_env):
    wheel, sdist = sorted(demo_dists["1.1"], key=lambda p: p.suffix == ".gz")
    result = cli("publish", wheel, sdist, "--repository-url", pypiserver.url,
                 env=credentials_env(clean_env))
    assert result.returncode == 0, result.stderr
    assert result.stderr.index(sdist.name) < result.stderr.index(wheel.name)


def test_wrong_password_is_refused_clearly(pypiserver, demo_dists, clean_env):
    env = credentials_env(clean_env, password="wrong-password")
    result = cli("publish", *demo_dists["1.2"], "--repository-url", pypiserver.url, env=env)
    assert result.returncode == 1
    assert "user 'alice' (password from SHIPYARD_PASSWORD) may not upload" in result.stderr
    assert "(403:" in result.stderr  # pypiserver's answer to a wrong password
    assert "0 uploaded" in result.stdout and "wrong-password" not in result.stdout + result.stderr
    assert not any(p.name.startswith("ship_demo-1.2") for p in pypiserver.packages.iterdir())


def test_existing_file_fails_unless_skip_existing(pypiserver, demo_dists, clean_env):
    env = credentials_env(clean_env)
    url = pypiserver.url
    cli("publish", *demo_dists["2.0"], "--repository-url", url, env=env, check=True)
    again = cli("publish", *demo_dists["2.0"], "--repository-url", url, env=env)
    assert again.returncode == 1
    assert "already exists" in again.stderr and "(409:" in again.stderr and "--skip-existing" in again.stderr
    skipped = cli("publish", *demo_dists["2.0"], "--repository-url", url, "--skip-existing", env=env)
    assert skipped.returncode == 0, skipped.stderr
    assert "2 skipped" in skipped.stdout


def test_twine_and_shipyard_store_the_same_file_identically(pypiserver, demo_dists, clean_env, tmp_path):
    from tests_publish_helpers import tool

    other = start_pypiserver(tmp_path / "twine-server")
    try:
        env = credentials_env(clean_env)
        files = demo_dists["1.0"]
        twine_env = {**clean_env, "TWINE_USERNAME": USER, "TWINE_PASSWORD": PASSWORD}
        twine = cli(tool("twine"), "upload", "--non-interactive", "--disable-progress-bar",
                    "--repository-url", other.url, *files, env=twine_env, module=False)
        assert twine.returncode == 0, twine.stdout + twine.stderr
        cli("publish", *files, "--repository-url", pypiserver.url, "--skip-existing",
            env=env, check=True)
        for path in files:
            by_twine = (other.packages / path.name).read_bytes()
            by_shipyard = (pypiserver.packages / path.name).read_bytes()
            assert hashlib.sha256(by_twine).hexdigest() == hashlib.sha256(by_shipyard).hexdigest()
            assert by_shipyard == path.read_bytes()
    finally:
        other.stop()


def test_named_repository_from_pypirc_with_its_credentials(pypiserver, demo_dists, clean_env, tmp_path):
    (tmp_path / ".pypirc").write_text(f"""\
[distutils]
index-servers =
    pypi
    inhouse

[inhouse]
repository = {pypiserver.url}
username = {USER}
password = {PASSWORD}
""")
    env = {**clean_env, "HOME": str(tmp_path)}
    result = cli("publish", *demo_dists["1.0"], "-r", "inhouse", "--skip-existing", env=env)
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr


def test_twine_environment_variables_are_read(pypiserver, demo_dists, clean_env):
    env = {**clean_env, "TWINE_USERNAME": USER, "TWINE_PASSWORD": PASSWORD,
           "TWINE_REPOSITORY_URL": pypiserver.url}
    result = cli("publish", *demo_dists["1.0"], "--skip-existing", env=env)
    assert result.returncode == 0, result.stderr
