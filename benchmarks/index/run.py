"""Benchmark: shipyard serve vs pypiserver vs devpi-server, with nginx on static pages as the floor.

One interleaved run on this machine; it prints a table and ratios and asserts nothing.
Data: N synthetic projects x 3 versions of tiny wheels, plus a real wheelhouse (flask,
requests, rich and their dependencies, downloaded from PyPI with pip).

Needs: wrk and nginx (Debian packages: `apt-get install wrk nginx`), and devpi-server in its
own venv (`--devpi-venv`, created with pip when missing). Usage:

    .venv/bin/python benchmarks/index/run.py [--projects 5000] [--duration 10] [--work DIR]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tests" / "index"))
import index_dists  # noqa: E402

PY = Path(sys.executable)
V1_JSON = "application/vnd.pypi.simple.v1+json"
REAL = ["flask", "requests", "rich"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class Peer:
    """One server under test: how to start it and where its pages are."""

    def __init__(self, name: str, argv: list[str], port: int, simple_prefix: str, env: dict | None = None):
        self.name, self.argv, self.port, self.prefix = name, argv, port, simple_prefix
        self.env = env
        self.process: subprocess.Popen | None = None
        self.startup = float("nan")

    @property
    def index_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def start(self, probe: str, log: Path) -> None:
        started = time.perf_counter()
        self.process = subprocess.Popen(self.argv, stdout=open(log, "wb"), stderr=subprocess.STDOUT,
                                        start_new_session=True, env=self.env)
        deadline = started + 120
        while time.perf_counter() < deadline:
            try:
                if httpx.get(self.index_url + probe, timeout=30).status_code == 200:
                    self.startup = time.perf_counter() - started
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited: see {log}")
            time.sleep(0.02)
        raise SystemExit(f"{self.name} did not start: see {log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def wrk(peer: Peer, names: list[str], accept: str, duration: int, work: Path) -> dict:
    paths = work / f"paths-{peer.name}.txt"
    paths.write_text("".join(f"{peer.prefix}{name}/\n" for name in names))
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{duration}s", "--timeout", "10s", "--latency",
                          "-s", str(HERE / "random_path.lua"), "-H", f"Accept: {accept}", f"http://127.0.0.1:{peer.port}/"],
                         capture_output=True, text=True, env={**os.environ, "PATHS_FILE": str(paths)}).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return float("nan")
        return float(match[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match[2]]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {"rps": float(rps[1]) if rps else 0.0, "p50": latency("50"), "p99": latency("99"),
            "requests": int(total[1]) if total else 0, "non2xx": int(errors[1]) if errors else 0}


def timed(argv: list, env: dict | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run([str(a) for a in argv], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        print(f"  ! {' '.join(map(str, argv[:4]))}... failed: {result.stderr[-400:]}", file=sys.stderr)
        return float("nan")
    return time.perf_counter() - started


# --- data --------------------------------------------------------------------------------


def make_data(work: Path, projects: int) -> tuple[list[Path], list[str]]:
    synthetic = work / "synthetic"
    names = [f"bench-pkg-{i:05d}" for i in range(projects)]
    if not synthetic.exists() or len(list(synthetic.iterdir())) != projects * 3:
        shutil.rmtree(synthetic, ignore_errors=True)
        synthetic.mkdir(parents=True)
        for name in names:
            for version in ("1.0", "1.1", "2.0"):
                index_dists.wheel(synthetic, name, version, requires_python=">=3.8")
    wheelhouse = work / "wheelhouse"
    if not wheelhouse.exists():
        subprocess.run([PY, "-m", "pip", "download", "--quiet", "--only-binary", ":all:", "--dest", wheelhouse, *REAL], check=True)
    return sorted(synthetic.iterdir()) + sorted(wheelhouse.iterdir()), names


def fill_shipyard(data: Path, files: list[Path]) -> float:
    from shipyard.index.auth import Identity
    from shipyard.index.config import Settings
    from shipyard.index.store import LocalBlobStore, MetadataStore
    from shipyard.index.upload import Incoming, UploadError, accept

    settings = Settings.make(data)
    data.mkdir(parents=True, exist_ok=True)
    store = MetadataStore(settings.database_url)
    store.create()
    user = store.user(name="bench") or {"id": store.add_user("bench", None)}
    identity = Identity(user["id"], "bench")
    blobs = LocalBlobStore(settings.blob_dir)
    started = time.perf_counter()

    def one(path: Path) -> None:
        from shipyard_core.distfile import parse_filename

        kind, name, version = parse_filename(path.name)
        fields = {"name": name, "version": str(version), "sha256_digest": hashlib.sha256(path.read_bytes()).hexdigest()}
        try:
            accept(store, blobs, identity, Incoming(fields, path.name, path), max_unpacked=1 << 30)
        except UploadError as exc:
            if "already exists" not in exc.message:
                raise

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(one, files))
    store.dispose()
    return time.perf_counter() - started


def devpi_setup(work: Path, venv: Path, files: list[Path], budget: float) -> tuple[Peer, list[str]]:
    """devpi-server filled with the wheelhouse and as many synthetic projects as `budget` seconds allow."""
    if not (venv / "bin" / "devpi-server").exists():
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([venv / "bin" / "pip", "install", "-q", "devpi-server"], check=True)
    server_dir = work / "devpi"
    port = free_port()
    peer = Peer("devpi-server", [str(venv / "bin" / "devpi-server"), "--serverdir", str(server_dir), "--port", str(port),
                                 "--offline-mode"], port, "/root/dev/+simple/")
    held_file = work / "devpi-held.json"
    if held_file.exists() and server_dir.exists():  # filled by an earlier run
        return peer, json.loads(held_file.read_text())
    shutil.rmtree(server_dir, ignore_errors=True)
    subprocess.run([venv / "bin" / "devpi-init", "--serverdir", server_dir, "--root-passwd", "bench",
                    "--no-root-pypi"], check=True, capture_output=True)
    peer.prefix = "/"
    peer.start("+api", work / "devpi-fill.log")
    base = f"http://127.0.0.1:{port}"
    login = httpx.post(f"{base}/+login", json={"user": "root", "password": "bench"}, headers={"Accept": "application/json"}).json()
    auth = {"X-Devpi-Auth": __import__("base64").b64encode(f"root:{login['result']['password']}".encode()).decode(),
            "Accept": "application/json"}
    httpx.put(f"{base}/root/dev", json={"bases": [], "volatile": True}, headers=auth).raise_for_status()
    started = time.perf_counter()

    def one(path: Path) -> bool:
        from shipyard_core.distfile import parse_filename

        _, name, version = parse_filename(path.name)
        response = httpx.post(f"{base}/root/dev/", headers={"X-Devpi-Auth": auth["X-Devpi-Auth"]},
                              data={":action": "file_upload", "name": name, "version": str(version)},
                              files={"content": (path.name, path.read_bytes())}, timeout=60)
        return response.status_code == 200

    # the real wheelhouse first, then synthetic projects while the time budget lasts
    real = [f for f in files if not f.name.startswith("bench_pkg")]
    synthetic = [f for f in files if f.name.startswith("bench_pkg")]
    held: list[str] = []
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        if not all(pool.map(one, real)):
            raise SystemExit("devpi-server refused a wheel of the wheelhouse")
        for start in range(0, len(synthetic), 300):  # 100 projects x 3 versions at a time
            if time.perf_counter() - started > budget:
                break
            batch = synthetic[start:start + 300]
            for path, ok in zip(batch, pool.map(one, batch), strict=True):
                if ok and path.name.endswith("-2.0-py3-none-any.whl"):
                    held.append(path.name.split("-")[0].replace("_", "-"))
    peer.stop()
    peer.prefix = "/root/dev/+simple/"
    held_file.write_text(json.dumps(held))
    return peer, held


def nginx_conf(work: Path, static: Path, packages: Path, port: int) -> Path:
    conf = work / "nginx.conf"
    conf.write_text(f"""
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types {{ text/html html; application/vnd.pypi.simple.v1+json json; }}
    map $http_accept $simple_index {{
        default index.html;
        "~application/vnd\\.pypi\\.simple\\.v1\\+json" index.json;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /simple/ {{
            root {static};
            try_files $uri$simple_index =404;
            add_header Vary Accept;
        }}
        location /packages/ {{
            alias {packages}/;
            add_header Cache-Control "public, max-age=31536000, immutable";
        }}
    }}
}}
""")
    return conf


# --- main --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "shipyard-index-bench")
    parser.add_argument("--devpi-venv", type=Path, default=Path(tempfile.gettempdir()) / "devpi-venv")
    parser.add_argument("--devpi-budget", type=float, default=180.0, help="seconds to spend filling devpi")
    parser.add_argument("--workers", type=int, default=2, help="shipyard serve --workers")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install {tool}")
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    print(f"data: {args.projects} projects x 3 versions + wheelhouse of {', '.join(REAL)}", flush=True)
    files, names = make_data(work, args.projects)
    real_names = sorted({f.name.split("-")[0].lower().replace("_", "-") for f in files if not f.name.startswith("bench_pkg")})

    shipyard_data = work / "shipyard"
    if not (shipyard_data / "index.sqlite3").exists():
        print(f"filling shipyard ({len(files)} files) ...", flush=True)
        print(f"  in {fill_shipyard(shipyard_data, files):.1f} s", flush=True)
    static = work / "static"
    subprocess.run([PY, "-m", "shipyard", "index", "export", static, "--data", shipyard_data], check=True, capture_output=True)

    flat = work / "pypiserver-packages"
    if not flat.exists():
        flat.mkdir()
        for path in files:
            os.link(path, flat / path.name)

    print(f"filling devpi-server (budget {args.devpi_budget:.0f} s) ...", flush=True)
    devpi, devpi_projects = devpi_setup(work, args.devpi_venv, files, args.devpi_budget)
    print(f"  devpi holds {len(devpi_projects)} synthetic projects and the wheelhouse", flush=True)

    ports = {name: free_port() for name in ("shipyard", "pypiserver", "nginx")}
    peers = [
        Peer("shipyard", [str(PY), "-m", "shipyard", "serve", "--data", str(shipyard_data), "--port", str(ports["shipyard"]),
                          "--workers", str(args.workers), "--quiet"], ports["shipyard"], "/simple/"),
        Peer("pypiserver", [str(PY), "-m", "pypiserver", "run", "-p", str(ports["pypiserver"]), "-a", ".", "-P", ".",
                            "--server", "auto", str(flat)], ports["pypiserver"], "/simple/"),
        devpi,
        Peer("nginx", ["nginx", "-c", str(nginx_conf(work, static, shipyard_data / "files" / "packages", ports["nginx"])),
                       "-p", str(work), "-g", "daemon off;"], ports["nginx"], "/simple/"),
    ]
    results: dict[str, dict] = {p.name: {"startup": [], "rss": []} for p in peers}

    def up(peer: Peer) -> None:
        probe = f"{names[0]}/" if peer.name != "devpi-server" else "flask/"
        peer.start(probe, work / f"{peer.name}.log")
        results[peer.name]["startup"].append(peer.startup)

    def down(peer: Peer) -> None:
        results[peer.name]["rss"].append(rss_kib(peer.process.pid) / 1024)
        peer.stop()

    # Interleaved, one run: each measurement goes round every server in turn, and only the
    # server being measured runs (started fresh, so each round also times a start-up).
    try:
        for accept, label in (("text/html", "html"), (V1_JSON, "json")):
            for peer in peers:
                up(peer)
                pool = devpi_projects + real_names if peer.name == "devpi-server" else list(names)
                random.shuffle(pool)
                # first right after start-up (cold caches), then again (warm: the steady state)
                for phase in ("cold", "warm"):
                    results[peer.name][f"{label}-{phase}"] = r = wrk(peer, pool, accept, args.duration, work)
                    print(f"  {label:4} {phase} {peer.name:13} {r['rps']:10.1f} req/s  p50 {r['p50']:8.2f} ms  p99 {r['p99']:8.2f} ms"
                          f"  ({r['requests']} requests, {r['non2xx']} not 2xx/3xx; start-up {peer.startup:.2f} s)", flush=True)
                down(peer)
        env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "UV_NO_CONFIG": "1"}
        for peer in peers:
            up(peer)
            venv = work / f"venv-{peer.name}"
            for tool in ("pip", "uv"):
                shutil.rmtree(venv, ignore_errors=True)
                subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
                argv = ([PY, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-cache-dir",
                         "--disable-pip-version-check"] if tool == "pip" else
                        [PY.parent / "uv", "pip", "install", "--no-cache", "--python", venv / "bin" / "python"])
                results[peer.name][tool] = timed([*argv, "--index-url", peer.index_url, *REAL], env)
            shutil.rmtree(venv, ignore_errors=True)
            down(peer)
            print(f"  install {peer.name:13} pip {results[peer.name]['pip']:.2f} s  uv {results[peer.name]['uv']:.2f} s", flush=True)
    finally:
        for peer in peers:
            peer.stop()
    report(results, len(devpi_projects), len(names))
    (work / "results.json").write_text(json.dumps(results, indent=2))


def report(results: dict, devpi_projects: int, projects: int) -> None:
    print()
    print("| server | start-up s | RSS MiB | HTML req/s warm (cold) | HTML p50/p99 ms warm | JSON req/s warm (cold) "
          "| JSON p50/p99 ms warm | pip install s | uv install s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        cells = [name, f"{min(r['startup']):.2f}", f"{max(r['rss']):.0f}"]
        for label in ("html", "json"):
            warm, cold = r.get(f"{label}-warm", {}), r.get(f"{label}-cold", {})
            cells += [f"{warm.get('rps', 0):.0f} ({cold.get('rps', 0):.0f})", f"{warm.get('p50', 0):.2f}/{warm.get('p99', 0):.2f}"]
        cells += [f"{r.get('pip', float('nan')):.2f}", f"{r.get('uv', float('nan')):.2f}"]
        print("| " + " | ".join(cells) + " |")
    ours = results["shipyard"]
    print()
    for name, r in results.items():
        if name == "shipyard":
            continue
        ratios = []
        for label in ("html-warm", "json-warm"):
            if r.get(label, {}).get("rps"):
                ratios.append(f"{label} req/s x{ours[label]['rps'] / r[label]['rps']:.2f}")
        ratios.append(f"start-up {min(r['startup']):.2f} s vs {min(ours['startup']):.2f} s")
        print(f"shipyard vs {name}: " + ", ".join(x for x in ratios if x))
    print(f"(devpi-server held {devpi_projects} of {projects} synthetic projects, filling it is slow; its requests go to those)")


if __name__ == "__main__":
    main()
