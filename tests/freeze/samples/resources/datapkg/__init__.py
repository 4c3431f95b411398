from pathlib import Path


def shout() -> str:
    return (Path(__file__).parent / "data" / "greeting.txt").read_text().strip().upper()
