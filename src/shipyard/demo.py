"""The README's main job: the seed's packaging workflow on examples/sololearn, end to end.

`python -m shipyard.demo` runs each step the packaging notes teach, with shipyard, on the
embedded index, and prints the commands, their results and their times. It stops with exit
code 1 at the first step that fails, saying which, and always stops the server and removes
what it made.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
import venv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sololearn"
APP = '''\
# /// script
# dependencies = ["sololearn"]
# ///
"""A small console script of the example, frozen for people without Python."""
import sys

from sololearn.sololearn import greet
from sololearn.sololearn2 import average

print(greet(sys.argv[1] if len(sys.argv) > 1 else "world"))
print("average:", average([1, 2, 3, 4]))
'''


class StepFailed(Exception):
    """A command of the workflow failed; the message says what it printed."""


@dataclass
class Workflow:
    """The state the steps share: a scratch folder, the server, the token."""

    work: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    server: subprocess.Popen | None = None
    port: int = 0
    token: str = ""

    @property
    def index(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, *args: str | Path, input: str | None = None, extra_env: dict[str, str] | None = None,
            show: str | None = None) -> str:
        """Run a command in the scratch folder; print it the way a user would type it."""
        args = [str(a) for a in args]
        shown = show or " ".join(shlex.quote(a) for a in args)
        print(f"      $ {shown.replace(sys.executable + ' -m shipyard', 'shipyard')}", flush=True)
        result = subprocess.run(args, cwd=self.work, input=input, capture_output=True, text=True,
                                env={**self.env, **(extra_env or {})})
        if result.returncode != 0:
            raise StepFailed(f"exit {result.returncode}\n{result.stdout}{result.stderr}".rstrip())
        return result.stdout

    def shipyard(self, *args: str | Path, **kwargs) -> str:
        return self.run(sys.executable, "-m", "shipyard", *args, **kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _indent(text: str) -> str:
    return textwrap.indent(text.rstrip(), "  ")


def step_build(w: Workflow) -> str:
    shutil.copytree(EXAMPLE, w.work / "sololearn")
    out = w.shipyard("build", "sololearn", "-o", "dist")
    made = sorted(p.name for p in (w.work / "dist").iterdir())
    if made != ["sololearn-0.1.dev0-py3-none-any.whl", "sololearn-0.1.dev0.tar.gz"]:
        raise StepFailed(f"expected the sdist and the wheel of sololearn 0.1.dev0, got {made}")
    return _indent(out)


def step_check(w: Workflow) -> str:
    return _indent(w.shipyard("check", "dist"))


def step_serve(w: Workflow) -> str:
    w.port = _free_port()
    data = w.work / "index"
    command = [sys.executable, "-m", "shipyard", "serve", "--data", str(data), "--port", str(w.port), "--quiet"]
    print(f"      $ shipyard serve --data {data} --port {w.port} --quiet &", flush=True)
    w.server = subprocess.Popen(command, cwd=w.work, env=w.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if w.server.poll() is not None:
            raise StepFailed(f"the server exited ({w.server.returncode}):\n{w.server.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{w.index}/simple/", timeout=1) as response:
                if response.status == 200:
                    return f"  index ready at {w.index}/simple/ (upload: {w.index}/legacy/)"
        except OSError:
            time.sleep(0.05)
    raise StepFailed("the server did not answer within 30 s")


def step_token(w: Workflow) -> str:
    data = str(w.work / "index")
    w.shipyard("index", "user", "add", "learner", "--password-stdin", "--data", data, input="a long passphrase\n")
    w.token = w.shipyard("index", "token", "create", "learner", "--data", data).strip()
    if not w.token:
        raise StepFailed("no token was printed")
    return f"  a token for user 'learner': {w.token[:12]}… (shown once, stored as a hash)"


def step_publish(w: Workflow) -> str:
    out = w.shipyard("publish", "dist/sololearn-0.1.dev0.tar.gz", "dist/sololearn-0.1.dev0-py3-none-any.whl",
                     "--repository-url", f"{w.index}/legacy/",
                     extra_env={"SHIPYARD_USERNAME": "__token__", "SHIPYARD_PASSWORD": w.token})
    return _indent(out)


def step_install(w: Workflow) -> str:
    env_dir = w.work / "venv"
    venv.create(env_dir, with_pip=False, symlinks=True)
    python = env_dir / "bin" / "python"
    w.run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-cache-dir",
          "--index-url", f"{w.index}/simple/", "sololearn",
          extra_env={"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
          show=f"pip install --index-url {w.index}/simple/ sololearn")
    out = w.run(python, "-c", "import sololearn.sololearn as s, sololearn.sololearn2 as t; "
                              "print(s.greet('pip'), t.average([2, 4]))",
                show="python -c 'from sololearn ... print(greet(\"pip\"), average([2, 4]))'")
    if out.strip() != "Hello, pip! 3.0":
        raise StepFailed(f"the installed package printed {out!r}")
    return _indent(out)


def step_migrate(w: Workflow) -> str:
    shutil.copytree(EXAMPLE, w.work / "migrated")
    out = w.shipyard("migrate", "migrated")
    pyproject = (w.work / "migrated" / "pyproject.toml").read_text()
    return _indent(out) + "\n  pyproject.toml:\n" + _indent(_indent(pyproject))


def step_freeze(w: Workflow) -> str:
    (w.work / "hello_sololearn.py").write_text(APP)
    w.shipyard("freeze", "hello_sololearn.py", "--onefile", "-o", "app",
               extra_env={"PIP_INDEX_URL": f"{w.index}/simple/", "PIP_CONFIG_FILE": os.devnull})
    exe = w.work / "app" / "hello_sololearn"
    out = w.run(exe, "learner", extra_env={"PATH": "/usr/bin:/bin"}, show="./app/hello_sololearn learner")
    if out != "Hello, learner!\naverage: 2.5\n":
        raise StepFailed(f"the executable printed {out!r}")
    return _indent(out) + f"\n  {exe.name}: {exe.stat().st_size / 1e6:.1f} MB, needs no Python"


STEPS: list[tuple[str, Callable[[Workflow], str]]] = [
    ("build the distutils project unchanged (sdist + wheel, no setuptools)", step_build),
    ("check the files as an index would", step_check),
    ("start the embedded index (SQLite + files) on 127.0.0.1", step_serve),
    ("register a user and create an upload token", step_token),
    ("publish the sdist and the wheel", step_publish),
    ("pip install it from the index into a fresh venv and run it", step_install),
    ("migrate a copy of setup.py to pyproject.toml, proving the same wheel", step_migrate),
    ("freeze a console script into one executable and run it", step_freeze),
]


def run_steps(w: Workflow) -> int:
    total = time.perf_counter()
    for number, (title, action) in enumerate(STEPS, 1):
        print(f"[{number}/{len(STEPS)}] {title}", flush=True)
        start = time.perf_counter()
        try:
            detail = action(w)
        except Exception as exc:  # any failure ends the job, named
            print(f"      FAILED after {time.perf_counter() - start:.2f} s: {exc}", flush=True)
            print(f"main job failed at step {number}: {title}", file=sys.stderr)
            return 1
        if detail:
            print(detail)
        print(f"      ok ({time.perf_counter() - start:.2f} s)", flush=True)
    print(f"all {len(STEPS)} steps passed in {time.perf_counter() - total:.2f} s")
    return 0


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="shipyard-demo-"))
    workflow = Workflow(work)
    print(f"The seed's packaging workflow on {EXAMPLE}, in {work}")
    try:
        return run_steps(workflow)
    finally:
        if workflow.server is not None:
            workflow.server.terminate()
            try:
                workflow.server.wait(10)
            except subprocess.TimeoutExpired:
                workflow.server.kill()
        shutil.rmtree(work, ignore_errors=True)
        print("server stopped; scratch folder removed")


if __name__ == "__main__":
    sys.exit(main())
