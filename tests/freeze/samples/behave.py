"""Behaves like `python behave.py`: arguments, streams, exit status, environment, Ctrl-C."""
import os
import sys
import time

cmd = sys.argv[1]
if cmd == "echo":
    print("args", sys.argv[1:])
    print("frozen", sys.frozen, os.path.basename(sys.executable))
    print("env", os.environ.get("BEHAVE_VAR"))
    print("stdin", sys.stdin.read().strip())
    print("to stderr", file=sys.stderr)
    import json
    import ssl
    print("json from", "bundle" if sys.prefix in json.__file__ else json.__file__)
    print("ssl", ssl.OPENSSL_VERSION.split()[0])
    sys.exit(int(sys.argv[2]))
elif cmd == "sleep":
    try:
        print("ready", flush=True)
        time.sleep(30)
    except KeyboardInterrupt:
        print("KeyboardInterrupt caught", flush=True)
        sys.exit(3)
elif cmd == "raise":
    raise RuntimeError("boom")
