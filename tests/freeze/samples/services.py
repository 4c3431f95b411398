"""sqlite3, ssl + hashlib, json, zoneinfo and multiprocessing (spawn) in one app."""
import hashlib
import json
import multiprocessing
import sqlite3
import ssl
from datetime import datetime, timezone
from zoneinfo import ZoneInfo


def square(x: int) -> int:
    return x * x


def main() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("create table t (x integer)")
    db.executemany("insert into t values (?)", [(i,) for i in range(5)])
    print("sqlite", db.execute("select sum(x) from t").fetchone()[0])
    ctx = ssl.create_default_context()
    print("ssl", ctx.protocol.name, ssl.OPENSSL_VERSION.split()[0])
    print("sha256", hashlib.sha256(b"shipyard").hexdigest()[:16])
    print("json", json.dumps({"b": 1, "a": [1, 2]}, sort_keys=True))
    when = datetime(2024, 7, 1, 12, tzinfo=timezone.utc).astimezone(ZoneInfo("Europe/Paris"))
    print("zoneinfo", when.isoformat())
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        print("spawn", sum(pool.map(square, range(10))))
    with multiprocessing.get_context("forkserver").Pool(1) as pool:
        print("forkserver", pool.apply(square, (7,)))


if __name__ == "__main__":
    main()
