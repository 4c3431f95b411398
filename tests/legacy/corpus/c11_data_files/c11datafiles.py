import sys
from pathlib import Path


def conf():
    return (Path(sys.prefix) / "share" / "c11" / "c11.conf").read_text().strip()
