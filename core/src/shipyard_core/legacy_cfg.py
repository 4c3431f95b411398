"""setup.cfg `[metadata]` and `[options]` -> setup() keywords, read without setuptools.

Supports the `file:`, `attr:` (read with ast, never imported), `find:` and `find_namespace:`
directives. An unknown key is an error naming its line.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipyard_core.errors import BuildError

SETUP_CFG = "setup.cfg"
SECTION_RE = re.compile(r"^\[(?P<name>[^\]]+)\]\s*$")
KEY_RE = re.compile(r"^(?P<key>[^=:\s][^=:]*?)\s*[=:]\s?(?P<value>.*)$")

#: key -> how its value is parsed
METADATA_KEYS = {
    "name": "str", "version": "str", "url": "str", "home_page": "str", "download_url": "str",
    "project_urls": "dict", "author": "str", "author_email": "str", "maintainer": "str",
    "maintainer_email": "str", "classifiers": "list", "license": "str", "license_file": "str",
    "license_files": "list", "description": "str", "summary": "str", "long_description": "str",
    "long_description_content_type": "str", "keywords": "list", "platforms": "list", "platform": "list",
    "provides": "list", "requires": "list", "obsoletes": "list",
}
OPTIONS_KEYS = {
    "zip_safe": "bool", "setup_requires": "list", "install_requires": "list", "python_requires": "str",
    "use_2to3": "bool", "packages": "list", "package_dir": "dict", "include_package_data": "bool",
    "namespace_packages": "list", "py_modules": "list", "scripts": "list", "eager_resources": "list",
    "dependency_links": "list", "tests_require": "list", "test_suite": "str", "entry_points": "str",
    "cmdclass": "dict", "data_files": "dict", "package_data": "dict", "exclude_package_data": "dict",
    "extras_require": "dict",
}
SUBSECTIONS = {
    "options.extras_require": "extras_require", "options.package_data": "package_data",
    "options.exclude_package_data": "exclude_package_data", "options.data_files": "data_files",
    "options.entry_points": "entry_points",
}
FIND_KEYS = {"where", "include", "exclude"}
KEY_ALIASES = {"home_page": "url", "summary": "description", "platform": "platforms"}


@dataclass
class CfgEntry:
    value: str
    line: int


@dataclass
class SetupCfg:
    keywords: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    computed: set[str] = field(default_factory=set)  #: keywords read from code (`attr:`)


def _parse_ini(text: str) -> dict[str, dict[str, CfgEntry]]:
    """Sections -> keys -> (raw value, line); continuation lines are joined with newlines."""
    sections: dict[str, dict[str, CfgEntry]] = {}
    current: dict[str, CfgEntry] | None = None
    last: CfgEntry | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped[0] in "#;":
            continue
        if raw[0] in " \t" and last is not None:
            last.value += "\n" + stripped
            continue
        if match := SECTION_RE.match(stripped):
            current = sections.setdefault(match["name"].strip(), {})
            last = None
            continue
        match = KEY_RE.match(stripped)
        if current is None or match is None:
            raise BuildError(f"cannot parse {stripped!r}: expected [section] or key = value",
                             file=SETUP_CFG, field=f"line {number}")
        last = current[match["key"].strip()] = CfgEntry(match["value"].strip(), number)
    return sections


def _list(value: str) -> list[str]:
    items = value.splitlines() if "\n" in value else value.split(",")
    return [item.strip() for item in items if item.strip() and not item.strip().startswith("#")]


def _dict(value: str, where: str) -> dict[str, str]:
    result = {}
    for line in _list(value) if "\n" in value else [value] if value else []:
        key, sep, item = line.partition("=")
        if not sep:
            raise BuildError(f"{line!r}: expected key = value", file=SETUP_CFG, field=where)
        result[key.strip()] = item.strip()
    return result


def _bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


class _Reader:
    def __init__(self, root: Path, sections: dict[str, dict[str, CfgEntry]]):
        self.root = root
        self.sections = sections
        self.package_dir: dict[str, str] = {}

    def where(self, section: str, key: str) -> str:
        return f"[{section}] {key} (line {self.sections[section][key].line})"

    def file_directive(self, value: str, where: str) -> str:
        texts = []
        for name in _list(value[len("file:"):]):
            path = self.root / name
            if not path.is_file():
                raise BuildError(f"file: {name!r} does not exist", file=SETUP_CFG, field=where)
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise BuildError(f"file: {name!r} cannot be read as UTF-8 text: {exc}",
                                 file=SETUP_CFG, field=where) from None
        return "\n".join(texts)

    def attr_directive(self, value: str, where: str) -> Any:
        dotted = value[len("attr:"):].strip()
        module, _, attr = dotted.rpartition(".")
        if not module:
            raise BuildError(f"attr: {dotted!r}: expected module.attribute", file=SETUP_CFG, field=where)
        top, _, rest = module.partition(".")
        base = self.package_dir.get(top)
        if base is not None:
            parts = [base] + rest.split(".") if rest else [base]
        else:
            parts = [self.package_dir.get("", "")] + module.split(".")
        relative = Path(*[p for p in parts if p])
        for candidate in (relative / "__init__.py", relative.with_suffix(".py")):
            path = self.root / candidate
            if path.is_file():
                return _read_attribute(path, attr, where)
        raise BuildError(f"attr: module {module!r} not found (looked for {relative}/__init__.py and {relative}.py)",
                         file=SETUP_CFG, field=where)

    def value(self, section: str, key: str, kind: str) -> Any:
        entry = self.sections[section][key]
        where = self.where(section, key)
        raw = entry.value
        if raw.startswith("file:") and kind in ("str", "list"):
            text = self.file_directive(raw, where)
            return text if kind == "str" else _list(text.strip())
        if raw.startswith("attr:") and kind in ("str", "list"):
            value = self.attr_directive(raw, where)
            if kind == "str" or isinstance(value, str):
                return str(value) if kind == "str" else _list(value)
            return [str(v) for v in value]
        if kind == "list":
            return _list(raw)
        if kind == "dict":
            return _dict(raw, where)
        if kind == "bool":
            return _bool(raw)
        return raw

    def packages(self, raw: str) -> list[str]:
        kind = raw.strip()
        if kind not in ("find:", "find_namespace:"):
            return _list(raw)
        options = self.sections.get("options.packages.find", {})
        for key in options:
            if key not in FIND_KEYS:
                raise BuildError(f"unknown key {key!r}: expected one of {', '.join(sorted(FIND_KEYS))}",
                                 file=SETUP_CFG, field=self.where("options.packages.find", key))
        where = options["where"].value.strip() if "where" in options else self.package_dir.get("", ".")
        include = _list(options["include"].value) if "include" in options else ["*"]
        exclude = _list(options["exclude"].value) if "exclude" in options else []
        return find_packages(self.root / where, include, exclude, namespace=kind == "find_namespace:")


def find_packages(where: Path, include: list[str], exclude: list[str], *, namespace: bool = False) -> list[str]:
    """What setuptools.find_packages returns."""
    found = []
    for folder, dirnames, _ in os.walk(where):
        dirnames[:] = sorted(d for d in dirnames if d.isidentifier())
        for d in list(dirnames):
            full = Path(folder) / d
            package = full.relative_to(where).as_posix().replace("/", ".")
            if not namespace and not (full / "__init__.py").is_file():
                dirnames.remove(d)
                continue
            if any(fnmatch.fnmatchcase(package, p) for p in include) and \
                    not any(fnmatch.fnmatchcase(package, p) for p in exclude):
                found.append(package)
    return found


def _read_attribute(path: Path, attr: str, where: str) -> Any:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError) as exc:
        raise BuildError(f"attr: cannot parse {path.name}: {exc}", file=SETUP_CFG, field=where) from None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == attr for t in targets) and node.value is not None:
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                break
    raise BuildError(f"attr: {attr} is not assigned a literal in {path.name} (shipyard reads it without importing)",
                     file=SETUP_CFG, field=where)


def read_setup_cfg(root: Path) -> SetupCfg:
    """The setup() keywords that `root/setup.cfg` gives."""
    path = root / SETUP_CFG
    try:
        sections = _parse_ini(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"cannot be read: {exc}", file=SETUP_CFG) from None
    reader = _Reader(root, sections)
    result = SetupCfg()
    options = sections.get("options", {})
    if "package_dir" in options:
        reader.package_dir = _dict(options["package_dir"].value, reader.where("options", "package_dir"))
    for section, known in (("metadata", METADATA_KEYS), ("options", OPTIONS_KEYS)):
        for key, entry in sections.get(section, {}).items():
            if key not in known:
                raise BuildError(f"unknown key {key!r} in [{section}]: expected one of {', '.join(sorted(known))}",
                                 file=SETUP_CFG, field=f"line {entry.line}")
            keyword = KEY_ALIASES.get(key, key)
            if key == "packages":
                result.keywords[keyword] = reader.packages(entry.value)
            elif key == "entry_points" and entry.value.startswith("file:"):
                result.keywords[keyword] = reader.file_directive(entry.value, reader.where(section, key))
            else:
                result.keywords[keyword] = reader.value(section, key, known[key])
                if entry.value.startswith("attr:"):
                    result.computed.add(keyword)
            result.lines[keyword] = entry.line
    for section, keyword in SUBSECTIONS.items():
        if section not in sections:
            continue
        table = {key: _list(entry.value) for key, entry in sections[section].items()}
        result.keywords[keyword] = table
        result.lines[keyword] = min((e.line for e in sections[section].values()), default=0)
    for section in sections:
        if section.startswith("options.") and section not in SUBSECTIONS and section != "options.packages.find":
            first = min((e.line for e in sections[section].values()), default=0)
            raise BuildError(f"unknown section [{section}]: expected one of "
                             f"{', '.join(sorted([*SUBSECTIONS, 'options.packages.find']))}",
                             file=SETUP_CFG, field=f"line {first}" if first else None)
    return result
