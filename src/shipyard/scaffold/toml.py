"""A small TOML writer for the files shipyard generates (pyproject.toml).

Writes the subset pyproject.toml needs: strings, booleans, integers, arrays (of scalars or
inline tables) and nested tables; shipyard-core stays free of a TOML-writing dependency.
"""

from __future__ import annotations

import re
from typing import Any

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def key(name: str) -> str:
    return name if BARE_KEY.match(name) else string(name)


def string(text: str) -> str:
    """A TOML string: basic, or multi-line basic when the text has several lines."""
    if "\n" in text.rstrip("\n") and len(text) > 60:
        body = "".join(_multiline_char(c) for c in text).replace('"""', '""\\"')
        return f'"""\n{body}"""' if not body.endswith('"') else f'"""\n{body[:-1]}\\""""'
    return '"' + "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 or c == "\x7f" else c)
                         for c in text) + '"'


def _multiline_char(c: str) -> str:
    if c in "\n\t":
        return c
    if c == "\\":
        return "\\\\"
    if ord(c) < 0x20 or c == "\x7f":
        return f"\\u{ord(c):04x}"
    return c


def value(item: Any, indent: str = "") -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, (int, float)):
        return repr(item)
    if isinstance(item, str):
        return string(item)
    if isinstance(item, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + " }" if item else "{}"
    if isinstance(item, (list, tuple)):
        if not item:
            return "[]"
        inline = "[" + ", ".join(value(v) for v in item) + "]"
        if len(inline) <= 80 and "\n" not in inline:
            return inline
        return "[\n" + "".join(f"{indent}    {value(v)},\n" for v in item) + f"{indent}]"
    raise TypeError(f"cannot write {type(item).__name__} to TOML")


def _is_table(item: Any) -> bool:
    return isinstance(item, dict)


def table(name: str, content: dict[str, Any]) -> str:
    """`[name]` with its key/values, then its sub-tables as `[name.sub]` sections."""
    lines = [f"{key(k)} = {value(v)}" for k, v in content.items() if not _is_table(v)]
    subtables = [table(f"{name}.{key(k)}", v) for k, v in content.items() if _is_table(v)]
    text = "\n".join([f"[{name}]", *lines]) + "\n" if lines or not subtables else ""
    return "\n".join(([text] if text else []) + subtables)


def dumps(document: dict[str, dict[str, Any]]) -> str:
    """A document of top-level tables (dotted names allowed: "tool.shipyard")."""
    return "\n".join(table(name, content) for name, content in document.items() if content is not None)
