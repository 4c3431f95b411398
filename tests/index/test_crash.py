"""SIGKILL during an upload: after a restart nothing partial is visible and the upload succeeds."""

from __future__ import annotations

import hashlib
import socket
import time

import httpx
import index_dists
import pytest
from index_support import Server

pytestmark = pytest.mark.slow


def test_sigkill_mid_upload_leaves_nothing(tmp_path) -> None:
    server = Server(tmp_path / "crash", ("--quiet",))
    server.add_user("gus")
    server.start()
    token = server.token("gus")
    wheel = index_dists.wheel(tmp_path, "crash-demo", "1.0", module_text="x = %r\n" % bytes(range(256)).hex() * 2000)
    data = wheel.read_bytes()
    boundary = "crashboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\ncrash-demo\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1.0\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"sha256_digest\"\r\n\r\n{hashlib.sha256(data).hexdigest()}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"content\"; filename=\"{wheel.name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    import base64

    auth = base64.b64encode(f"__token__:{token}".encode()).decode()
    request = (f"POST /legacy/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n"
               f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
               f"Content-Length: {len(head) + len(data) + len(tail)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(request + head + data[: len(data) // 2])
        time.sleep(0.5)  # the server is now holding half a file
        server.kill()
    server.start()
    try:
        assert httpx.get(f"{server.url}/simple/crash-demo/").status_code == 404
        assert not list((server.data / "files" / "packages").rglob("*.whl"))
        response = server.upload(wheel, token)
        assert response.status_code == 200, response.text
        page = httpx.get(f"{server.url}/simple/crash-demo/").text
        assert wheel.name in page
        url = f"{server.url}/packages/{hashlib.sha256(data).hexdigest()}/{wheel.name}"
        assert httpx.get(url).content == data
    finally:
        server.stop()
