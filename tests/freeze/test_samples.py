"""The sample apps of issue 6, frozen for real and run where there is no Python at all."""

from __future__ import annotations

import pytest

from tests.freeze.conftest import nopython

pytestmark = pytest.mark.slow
MODES = ["onefile", "onedir"]


@pytest.mark.parametrize("mode", MODES)
def test_hello_world(frozen, mode):
    assert nopython(frozen("hello.py", mode)) == "hello world\nfrozen: True\n"


def test_onefile_as_a_user_without_a_writable_home(frozen):
    assert nopython(frozen("hello.py", "onefile"), user=True) == "hello world\nfrozen: True\n"


@pytest.mark.parametrize("mode", MODES)
def test_click_rich_cli_with_pep723_dependencies(frozen, mode):
    out = nopython(frozen("clirich.py", mode), "ada", "--count", "3")
    assert out.count("hi ada") == 3 and "greeting" in out


@pytest.mark.parametrize("mode", MODES)
def test_package_data_through_importlib_resources(frozen, mode):
    out = nopython(frozen("resources/resapp.py", mode))
    assert out == "greetings from package data\nGREETINGS FROM PACKAGE DATA\n"


@pytest.mark.parametrize("mode", MODES)
def test_sqlite_ssl_hashlib_json_zoneinfo_multiprocessing_spawn(frozen, mode):
    out = nopython(frozen("services.py", mode))
    assert out.splitlines() == [
        "sqlite 10",
        "ssl PROTOCOL_TLS_CLIENT OpenSSL",
        "sha256 4498594b479f5f03",
        'json {"a": [1, 2], "b": 1}',
        "zoneinfo 2024-07-01T14:00:00+02:00",
        "spawn 285",
        "forkserver 49",
    ]


@pytest.mark.parametrize("mode", MODES)
def test_numpy(frozen, mode):
    pytest.importorskip("numpy")
    out = nopython(frozen("numpyapp.py", mode))
    assert out == "sum 66\ndet 5.0\nmatmul [14, 38, 62]\n"
