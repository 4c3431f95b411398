"""The web pages in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import httpx
import index_dists
import pytest
from index_support import PASSWORD

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
README = """# Web demo

Some **bold** text and a table:

| column | value |
|--------|-------|
| a      | 1     |

<script>document.title = "pwned"</script>
[click](javascript:alert(1))
"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise AssertionError("chromium is missing: run scripts/system-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(index_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("web-dists")
    for version in ("1.0", "2.0"):
        wheel = index_dists.wheel(out, "Web-Demo", version, summary="A project for the web tests", readme=README)
        assert index_server.upload(wheel, index_server.alice_token).status_code == 200
    return index_server


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGBA bytes) of an 8-bit RGB/RGBA PNG, as Chromium writes them."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line) if channels == 4 else bytes(b for j in range(width) for b in (*line[j * 3:j * 3 + 3], 255)))
        previous = line
    return width, height, rows


def pixel(rows: list[bytes], x: int, y: int) -> tuple[int, int, int]:
    return tuple(rows[y][x * 4:x * 4 + 3])


def test_home_search_and_latest(browser, site) -> None:
    page = browser.new_page()
    page.goto(f"{site.url}/")
    assert "Web-Demo 2.0" in page.locator("#latest").inner_text()
    page.fill("input[name=q]", "web")
    page.click("header button[type=submit]")
    assert page.locator("#results a", has_text="Web-Demo").count() == 1
    page.click("#results a >> text=Web-Demo")
    assert page.url.endswith("/project/web-demo/")
    page.close()


def test_project_page_and_screenshot(browser, site, tmp_path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{site.url}/project/Web_Demo/")  # redirected to the normalized name
    assert page.url.endswith("/project/web-demo/")
    assert page.title() == "Web-Demo 2.0 · shipyard index"  # the README's script did not run
    assert page.locator("#project-title").inner_text() == "Web-Demo 2.0"
    assert page.locator("#install").inner_text() == "pip install Web-Demo"
    readme = page.locator("#description")
    assert readme.locator("h1").inner_text() == "Web demo"
    assert readme.locator("strong").inner_text() == "bold"
    assert readme.locator("table td").first.inner_text() == "a"
    assert readme.locator("script").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    rows = page.locator("#files tbody tr")
    assert rows.count() == 1 and "web_demo-2.0-py3-none-any.whl" in rows.inner_text()
    assert len(rows.locator("code.hash").inner_text()) == 64
    assert page.locator("#versions li").all_inner_texts() == ["2.0", "1.0"]
    shot = tmp_path / "project.png"
    page.screenshot(path=str(shot), full_page=True)
    width, height, pixels = read_png(shot)
    assert width == 1200 and height >= 900
    header = page.locator("header.top").bounding_box()
    assert pixel(pixels, int(header["x"] + header["width"] - 5), int(header["y"] + 5)) == (0x11, 0x22, 0x33)
    for selector in ("#project-title", "#install", "#description", "#files", "#versions"):
        box = page.locator(selector).bounding_box()
        assert box and box["width"] > 0 and box["y"] + box["height"] <= height, selector
        colors = {pixel(pixels, x, y) for y in range(int(box["y"]), int(box["y"] + box["height"]), 3)
                  for x in range(int(box["x"]), int(box["x"] + box["width"]), 3)}
        assert len(colors) > 2, f"{selector} drew nothing"  # text on a background, not a blank area
    release = browser.new_page()
    release.goto(f"{site.url}/project/web-demo/1.0/")
    assert release.locator("#install").inner_text() == "pip install Web-Demo==1.0"
    release.close()
    page.close()


def test_login_and_tokens(browser, site, tmp_path) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site.url}/login")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "wrong")
    page.click("main button[type=submit]")
    assert "Wrong user name or password" in page.locator("#error").inner_text()
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    assert page.url.endswith("/account/tokens")
    page.fill("input[name=description]", "from the browser")
    page.fill("input[name=project]", "web-demo")
    page.click("text=Create token")
    token = page.locator("#new-token pre").inner_text().strip()
    assert token.startswith("shipyard-")
    assert "from the browser" in page.locator("#tokens").inner_text()
    wheel = index_dists.wheel(tmp_path, "Web-Demo", "3.0", readme=README)
    assert site.upload(wheel, token).status_code == 200
    page.goto(f"{site.url}/account/tokens")
    assert page.locator("#new-token").count() == 0 and token not in page.content()  # shown once
    # a form post without the CSRF field is refused
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    forged = httpx.post(f"{site.url}/account/tokens", data={"description": "x"}, cookies=cookies)
    assert forged.status_code == 403
    row = page.locator("#tokens tr", has_text="from the browser")
    row.locator("button", has_text="Revoke").click()
    assert "from the browser" not in page.locator("#tokens").inner_text()
    assert site.upload(index_dists.wheel(tmp_path, "Web-Demo", "3.1"), token).status_code == 401
    context.close()
