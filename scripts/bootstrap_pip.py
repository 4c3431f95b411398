"""Put pip into a virtual environment made without it (Debian's python3 lacks ensurepip
unless python3-venv is installed). Run with the environment's python: it finds the newest
pip wheel through PyPI's JSON simple API (PEP 691), checks its sha256, and lets that wheel
install itself."""

import hashlib
import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

INDEX = "https://pypi.org/simple/pip/"


def main() -> int:
    request = urllib.request.Request(INDEX, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    wheels = [f for f in files if f["filename"].endswith("-py3-none-any.whl") and not f.get("yanked")]
    newest = wheels[-1]
    with urllib.request.urlopen(newest["url"], timeout=120) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() != newest["hashes"]["sha256"]:
        print(f"bootstrap_pip: sha256 mismatch for {newest['filename']}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(tmp) / newest["filename"]
        wheel.write_bytes(data)
        return subprocess.call([sys.executable, f"{wheel}/pip", "install", "--quiet", str(wheel)])


if __name__ == "__main__":
    sys.exit(main())
