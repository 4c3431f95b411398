from pathlib import Path


def render(name):
    return (Path(__file__).parent / "templates" / f"{name}.html").read_text().strip()
