import json
from pathlib import Path


def load():
    return json.loads((Path(__file__).parent / "data" / "values.json").read_text())
