"""Legacy projects (setup.py / setup.cfg without [project]), read without setuptools.

The `setup()` keywords (setup.cfg first, setup.py over it, as setuptools does) become a
PEP 621 `[project]` table and a `[tool.shipyard]` table, validated by `project.from_table`
like any pyproject.toml; `shipyard migrate` writes exactly these tables. What the legacy
world allowed and the standards do not is normalized, and each change is a note for the
user (`Project.notes`). What shipyard cannot reproduce raises `UnsupportedLegacy`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from shipyard_core.errors import BuildError, UnsupportedLegacy
from shipyard_core.legacy_cfg import SETUP_CFG, read_setup_cfg
from shipyard_core.legacy_setup_py import SETUP_PY, FileRef, read_setup_py
from shipyard_core.manifest import MANIFEST_IN, anchored, manifest_files
from shipyard_core.project import README_TYPES as STRING_FORM_TYPES
from shipyard_core.project import Project

#: setup() keywords that change nothing shipyard builds; named in a note
IGNORED = {
    "zip_safe", "tests_require", "test_suite", "test_loader", "use_2to3", "eager_resources",
    "dependency_links", "namespace_packages", "provides", "requires", "obsoletes", "options",
    "command_options", "script_name", "script_args", "platforms",
}
#: what only setuptools can build: `shipyard build` falls back to it
UNSUPPORTED = {
    "ext_modules": "C/C++ extension modules", "cmdclass": "custom commands", "libraries": "C libraries",
    "distclass": "a custom Distribution class", "cffi_modules": "cffi extension modules",
    "rust_extensions": "Rust extension modules", "use_scm_version": "a version from version control",
    "ext_package": "extension modules", "headers": "C header files", "setup_requires": "setup_requires logic",
}
#: setup_requires entries that only served `setup.py test` / bdist_wheel; safe to drop
HARMLESS_SETUP_REQUIRES = {"pytest-runner", "wheel", "setuptools", "pytest", "nose"}
LICENSE_ALIASES = {
    "mit license": "MIT", "the mit license": "MIT", "apache 2.0": "Apache-2.0", "apache 2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0", "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0", "apache-2": "Apache-2.0", "bsd-3": "BSD-3-Clause",
    "bsd 3-clause": "BSD-3-Clause", "new bsd": "BSD-3-Clause", "bsd-2": "BSD-2-Clause",
    "simplified bsd": "BSD-2-Clause", "isc license": "ISC", "mpl 2.0": "MPL-2.0", "mpl-2": "MPL-2.0",
    "mozilla public license 2.0": "MPL-2.0", "unlicense": "Unlicense", "the unlicense": "Unlicense",
    "gplv3+": "GPL-3.0-or-later", "gpl-3.0+": "GPL-3.0-or-later", "gplv3": "GPL-3.0-only",
    "gplv2": "GPL-2.0-only", "gplv2+": "GPL-2.0-or-later", "lgplv3+": "LGPL-3.0-or-later",
    "lgplv3": "LGPL-3.0-only", "public domain": "LicenseRef-Public-Domain",
}
README_NAMES = ("README", "README.txt", "README.md", "README.rst", "readme.txt", "readme.md", "readme.rst",
                "README.markdown")
README_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".rst": "text/x-rst", ".txt": "text/plain",
                "": "text/plain"}
DEFAULT_PACKAGE_DATA = ("*.py",)


@dataclass
class Conversion:
    """A legacy project as pyproject.toml tables, with the notes for the user."""

    project: dict[str, Any]
    tool: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    build_files: list[str] = field(default_factory=list)
    #: [project] / [tool.shipyard] key -> "file, line N" of the keyword it came from
    origins: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def is_legacy(root: Path) -> bool:
    return (root / SETUP_PY).is_file() or (root / SETUP_CFG).is_file()


def load(root: Path, pyproject: dict[str, Any] | None = None) -> Project:
    """The validated Project of a setup.py / setup.cfg project.

    `pyproject` is the project's pyproject.toml when it has one without a [project] table
    (a [build-system] or tool settings only); it changes nothing but is carried in the sdist.
    """
    from shipyard_core.project import from_table

    root = Path(root).resolve()
    conversion = convert(root)
    try:
        project = from_table(root, conversion.project, conversion.tool)
    except BuildError as exc:
        raise _relocate(exc, conversion) from None
    project.notes = list(conversion.notes)
    project.build_files = list(conversion.build_files)
    return project


def _relocate(exc: BuildError, conversion: Conversion) -> BuildError:
    """An error about a generated table key, told as the legacy keyword it came from."""
    key = (exc.field or "").split("]", 1)[-1].lstrip(".").split(".")[0].split("[")[0]
    section = "tool" if (exc.field or "").startswith("[tool") else "project"
    origin = conversion.origins.get(f"{section}.{key}")
    if origin is None:
        return exc
    file, where = origin
    return type(exc)(exc.message, file=file, field=where)


def convert(root: Path) -> Conversion:
    """The `[project]` and `[tool.shipyard]` tables equivalent to the legacy project in `root`."""
    root = Path(root).resolve()
    keywords: dict[str, Any] = {}
    origins: dict[str, tuple[str, str | None]] = {}
    computed: set[str] = set()  # keywords whose value code computed (not literals)
    build_files = [f for f in (SETUP_PY, SETUP_CFG, MANIFEST_IN, "pyproject.toml") if (root / f).is_file()]
    if (root / SETUP_CFG).is_file():
        cfg = read_setup_cfg(root)
        keywords.update(cfg.keywords)
        computed |= cfg.computed
        origins.update({k: (SETUP_CFG, f"line {line}") for k, line in cfg.lines.items()})
    if (root / SETUP_PY).is_file():
        call = read_setup_py(root)
        keywords.update(call.keywords)
        computed = computed - set(call.keywords) | (set() if call.static else set(call.keywords))
        origins.update({k: (SETUP_PY, f"line {line}" if line else None) for k, line in call.lines.items()})
    return _Mapper(root, keywords, origins, computed).run(build_files)


def _origin_text(origin: tuple[str, str | None] | None) -> str:
    if origin is None:
        return ""
    return f" ({origin[0]}, {origin[1]})" if origin[1] else f" ({origin[0]})"


class _Mapper:
    """setup() keywords -> pyproject tables, one keyword at a time."""

    def __init__(self, root: Path, keywords: dict[str, Any], origins: dict[str, tuple[str, str | None]],
                 computed: set[str]):
        self.root = root
        self.kw = keywords
        self.kw_origins = origins
        self.computed = computed
        self.project: dict[str, Any] = {}
        self.tool: dict[str, Any] = {}
        self.notes: list[str] = []
        self.origins: dict[str, tuple[str, str | None]] = {}

    # -- helpers --------------------------------------------------------------------------

    def fail(self, keyword: str, message: str, cls: type[BuildError] = BuildError) -> BuildError:
        file, where = self.kw_origins.get(keyword, (SETUP_PY, None))
        return cls(f"{keyword}: {message}", file=file, field=where)

    def set(self, key: str, value: Any, keyword: str, section: str = "project") -> None:
        target = self.project if section == "project" else self.tool
        target[key] = value
        if keyword in self.kw_origins:
            self.origins[f"{section}.{key}"] = (self.kw_origins[keyword][0], self._field(keyword))

    def _field(self, keyword: str) -> str:
        where = self.kw_origins[keyword][1]
        return f"{keyword} ({where})" if where else keyword

    def text(self, keyword: str) -> str | None:
        value = self.kw.get(keyword)
        if value is None or value == "":
            return None
        if isinstance(value, FileRef):
            return self.read_file(keyword, value.path)
        if isinstance(value, (int, float)):
            return str(value)
        if not isinstance(value, str):
            raise self.fail(keyword, f"expected a string, got {type(value).__name__} {value!r}")
        return value

    def strings(self, keyword: str) -> list[str]:
        value = self.kw.get(keyword)
        if value is None:
            return []
        if isinstance(value, FileRef):
            value = self.read_file(keyword, value.path)
        if isinstance(value, str):
            value = value.splitlines()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(keyword, f"expected a list of strings, got {value!r}")
        return [v.strip() for v in value if v.strip() and not v.strip().startswith("#")]

    def read_file(self, keyword: str, name: str) -> str:
        path = self.root / name
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise self.fail(keyword, f"file {name!r} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise self.fail(keyword, f"file {name!r} cannot be read as UTF-8 text: {exc}") from None

    def note(self, keyword: str, message: str) -> None:
        self.notes.append(f"{message}{_origin_text(self.kw_origins.get(keyword))}")

    # -- the mapping -------------------------------------------------------------------------

    def run(self, build_files: list[str]) -> Conversion:
        self.unsupported()
        self.name_and_version()
        self.description()
        self.readme()
        self.license()
        self.people()
        self.urls()
        self.classifiers_and_keywords()
        self.requirements()
        self.entry_points()
        self.layout()
        self.dynamic_version()
        self.data()
        self.ignored()
        return Conversion(self.project, self.tool, self.notes, build_files, self.origins)

    def unsupported(self) -> None:
        for keyword, what in UNSUPPORTED.items():
            value = self.kw.get(keyword)
            if not value:
                continue
            if keyword == "setup_requires":
                names = {canonicalize_name(Requirement(r).name) for r in self.strings(keyword) if _valid_req(r)}
                if names <= HARMLESS_SETUP_REQUIRES:
                    self.note(keyword, f"setup_requires {sorted(names)} is not needed to build; dropped")
                    continue
            raise self.fail(keyword, f"shipyard cannot build {what} without setuptools; "
                                     "`shipyard build` builds this project with setuptools instead",
                            UnsupportedLegacy)

    def name_and_version(self) -> None:
        name = self.text("name")
        if not name:
            raise self.fail("name", "is missing: expected setup(name=...) or [metadata] name")
        self.set("name", name.strip(), "name")
        normalized = canonicalize_name(name).replace("-", "_")
        if canonicalize_name(name) != name:
            self.note("name", f"name {name!r} stays as given in the metadata; file names use {normalized!r}")
        raw = self.text("version")
        if raw is None:
            raw = "0.0.0"
            self.note("version", "no version given: using '0.0.0' as setuptools does")
        try:
            version = str(Version(raw.strip()))
        except InvalidVersion:
            raise self.fail("version", f"{raw!r} is not a valid PEP 440 version (like '1.0', '0.1.dev0')") from None
        if version != raw.strip():
            self.note("version", f"version {raw!r} is normalized to {version!r} (PEP 440)")
        self.set("version", version, "version")

    def description(self) -> None:
        text = self.text("description")
        if text is None:
            return
        line = " ".join(text.split())
        if line != text:
            self.note("description", "description had several lines or extra spaces: joined into one line")
        if line:
            self.set("description", line, "description")

    def readme(self) -> None:
        value = self.kw.get("long_description")
        content_type = self.text("long_description_content_type")
        if value is None or value == "":
            return
        path = value.path if isinstance(value, FileRef) else None
        text = self.text("long_description")
        if path is None:
            path = self._readme_file(text)
        if path is not None:
            guessed = README_TYPES.get(PurePosixPath(path).suffix.lower())
            if content_type is None:
                content_type = guessed or "text/x-rst"
                self.note("long_description", f"long_description is read from {path}: content type {content_type}")
            if content_type == STRING_FORM_TYPES.get(PurePosixPath(path).suffix.lower()):
                self.set("readme", path, "long_description")
            else:
                self.set("readme", {"file": path, "content-type": content_type}, "long_description")
            return
        if content_type is None:
            content_type = "text/x-rst"
            self.note("long_description", "long_description has no content type: text/x-rst, as PyPI assumes")
        self.set("readme", {"text": text, "content-type": content_type}, "long_description")

    def _readme_file(self, text: str | None) -> str | None:
        """The project file whose contents are exactly `text` (a README read by setup.py)."""
        if not text:
            return None
        candidates = [n for n in README_NAMES if (self.root / n).is_file()]
        candidates += sorted(p.name for p in self.root.iterdir()
                             if p.is_file() and p.suffix in (".md", ".rst", ".txt") and p.name not in candidates)
        for name in candidates:
            try:
                if (self.root / name).read_text(encoding="utf-8") == text:
                    return name
            except (OSError, UnicodeDecodeError):
                continue
        return None

    def license(self) -> None:
        raw = self.text("license")
        files = self.strings("license_files") or ([f] if (f := self.text("license_file")) else [])
        classifiers = self.strings("classifiers")
        expression = _spdx(raw) if raw else None
        if raw and expression:
            if expression != raw:
                self.note("license", f"license {raw!r} is written as the SPDX expression {expression!r}")
            self.set("license", expression, "license")
            dropped = [c for c in classifiers if c.startswith("License ::")]
            if dropped:
                self.note("classifiers", f"license classifiers {dropped} are replaced by the license expression "
                                         f"(PEP 639)")
            if files:
                self.set("license-files", files, "license_files" if "license_files" in self.kw else "license_file")
        elif raw:
            self.note("license", f"warning: license {raw!r} is not an SPDX expression; kept as free text "
                                 "(deprecated): replace it with an SPDX id such as 'MIT'")
            self.set("license", {"text": raw}, "license")
            if files:
                self.note("license_files", "license files are found by name (LICENSE*, COPYING*, ...) because "
                                           "free-text licenses cannot list them (PEP 639)")
        elif files:
            self.set("license-files", files, "license_files" if "license_files" in self.kw else "license_file")

    def people(self) -> None:
        for role, key in (("author", "authors"), ("maintainer", "maintainers")):
            names = [n.strip() for n in re.split(r",| and ", self.text(role) or "") if n.strip()]
            emails = [e.strip() for e in (self.text(f"{role}_email") or "").split(",") if e.strip()]
            people: list[dict[str, str]] = []
            if names and len(names) == len(emails):
                people = [{"name": n, "email": e} for n, e in zip(names, emails)]
            else:
                people = [{"name": n} for n in names] + [{"email": e} for e in emails]
            if people:
                self.set(key, people, role if role in self.kw else f"{role}_email")

    def urls(self) -> None:
        urls: dict[str, str] = {}
        if url := self.text("url"):
            urls["Homepage"] = url
        if url := self.text("download_url"):
            urls["Download"] = url
        project_urls = self.kw.get("project_urls") or {}
        if not isinstance(project_urls, dict):
            raise self.fail("project_urls", f"expected a dict of label -> URL, got {project_urls!r}")
        urls.update({str(k): str(v) for k, v in project_urls.items()})
        if urls:
            self.set("urls", urls, "project_urls" if project_urls else "url" if "url" in self.kw else "download_url")

    def classifiers_and_keywords(self) -> None:
        classifiers = self.strings("classifiers")
        if "license" in self.project and isinstance(self.project["license"], str):
            classifiers = [c for c in classifiers if not c.startswith("License ::")]
        try:
            from trove_classifiers import classifiers as known
        except ImportError:
            known = None
        if known is not None:
            unknown = [c for c in classifiers if c not in known]
            if unknown:
                self.note("classifiers", f"unknown or deprecated classifiers {unknown} are dropped (PyPI rejects them)")
                classifiers = [c for c in classifiers if c in known]
        if classifiers:
            self.set("classifiers", classifiers, "classifiers")
        keywords = self.kw.get("keywords")
        if isinstance(keywords, str):
            keywords = keywords.split(",") if "," in keywords else keywords.split()
        if keywords:
            self.set("keywords", [str(k).strip() for k in keywords if str(k).strip()], "keywords")

    def requirements(self) -> None:
        if python := self.text("python_requires"):
            self.set("requires-python", python.strip(), "python_requires")
        if deps := self.strings("install_requires"):
            self.set("dependencies", deps, "install_requires")
        extras = self.kw.get("extras_require") or {}
        if not isinstance(extras, dict):
            raise self.fail("extras_require", f"expected a dict of extra -> requirements, got {extras!r}")
        table: dict[str, list[str]] = {}
        for key, value in extras.items():
            extra, _, marker = str(key).partition(":")
            reqs = value.splitlines() if isinstance(value, str) else list(value)
            reqs = [r.strip() for r in reqs if r.strip()]
            if marker:
                reqs = [_with_marker(r, marker.strip(), self) for r in reqs]
            table.setdefault(canonicalize_name(extra.strip()), []).extend(reqs)
        if table:
            self.set("optional-dependencies", table, "extras_require")

    def entry_points(self) -> None:
        value = self.kw.get("entry_points") or {}
        if isinstance(value, str):
            value = _ini_groups(value)
        if not isinstance(value, dict):
            raise self.fail("entry_points", f"expected a dict of group -> entries, got {value!r}")
        for group, entries in value.items():
            if isinstance(entries, str):
                entries = entries.splitlines()
            parsed: dict[str, str] = {}
            for entry in entries:
                name, sep, ref = str(entry).partition("=")
                if not sep:
                    if not entry.strip():
                        continue
                    raise self.fail("entry_points", f"{entry!r} in group {group!r}: expected 'name = module:object'")
                parsed[name.strip()] = " ".join(ref.split())
            if group == "console_scripts":
                self.set("scripts", parsed, "entry_points")
            elif group == "gui_scripts":
                self.set("gui-scripts", parsed, "entry_points")
            elif parsed:
                self.set("entry-points", {**self.project.get("entry-points", {}), group: parsed}, "entry_points")

    def layout(self) -> None:
        source = self._source()
        packages = self._names("packages")
        modules = self._names("py_modules")
        if source:
            self.set("source", source, "package_dir", "tool")
        elif (packages or modules) and (self.root / "src").is_dir():
            self.tool["source"] = ""  # not the src/ folder discovery would pick
        base = self.root / source
        for package in packages:
            if not (base / package.replace(".", "/")).is_dir():
                raise self.fail("packages", f"package {package!r} has no folder {(Path(source) / package.replace('.', '/')).as_posix()}/")
        for module in modules:
            if not (base / f"{module.replace('.', '/')}.py").is_file():
                raise self.fail("py_modules", f"module {module!r} has no file {module.replace('.', '/')}.py")
        listed = set(packages)
        top = sorted(p for p in packages if p.rpartition(".")[0] not in listed)
        if top:
            self.set("packages", top, "packages", "tool")
        if modules:
            self.set("modules", [m.replace(".", "/") for m in modules], "py_modules", "tool")
        if not packages and not modules:
            self.note("packages", "setup() lists no packages or py_modules: shipyard finds the package by name")
            return
        exclude = self._excluded_files(source, listed, top)
        if exclude:
            self.set("wheel", {"exclude": exclude}, "package_data", "tool")

    def dynamic_version(self) -> None:
        """A version that code read from the package's `__version__` stays read from there."""
        if "version" not in self.computed:
            return
        source = self.root / self.tool.get("source", "")
        candidates = [f"{p.replace('.', '/')}/__init__.py" for p in self.tool.get("packages", [])]
        candidates += [f"{m}.py" for m in self.tool.get("modules", [])]
        for relative in candidates:
            path = source / relative
            if not path.is_file():
                continue
            match = VERSION_ASSIGNMENT.search(path.read_text(encoding="utf-8", errors="replace"))
            if match is None:
                continue
            if _same_version(match["version"], self.project["version"]):
                del self.project["version"]
                self.project["dynamic"] = ["version"]
                self.note("version", f"version is read from __version__ in {path.relative_to(self.root).as_posix()} "
                                     "when building: [project] dynamic = [\"version\"]")
            return

    def _names(self, keyword: str) -> list[str]:
        names = self.strings(keyword)
        for name in names:
            if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*", name):
                raise self.fail(keyword, f"{name!r} is not a dotted import name")
        return sorted(set(names))

    def _source(self) -> str:
        package_dir = self.kw.get("package_dir") or {}
        if not isinstance(package_dir, dict):
            raise self.fail("package_dir", f"expected a dict, got {package_dir!r}")
        sources = set()
        for package, folder in package_dir.items():
            folder = PurePosixPath(str(folder).replace("\\", "/")).as_posix().strip("/")
            folder = "" if folder == "." else folder
            if package == "":
                sources.add(folder)
                continue
            suffix = package.replace(".", "/")
            if folder != suffix and not folder.endswith("/" + suffix):
                raise self.fail("package_dir", f"maps package {package!r} to folder {folder!r}: shipyard needs "
                                               "the folder named like the package; rename the folder",
                                UnsupportedLegacy)
            sources.add(folder[: -len(suffix)].rstrip("/"))
        if len(sources) > 1:
            raise self.fail("package_dir", f"uses several source folders {sorted(sources)}: shipyard needs one",
                            UnsupportedLegacy)
        return sources.pop() if sources else ""

    def _excluded_files(self, source: str, listed: set[str], top: list[str]) -> list[str]:
        """Wheel paths under the packages that setuptools would leave out of the wheel."""
        from shipyard_core.files import source_files

        package_data = self._globs("package_data")
        exclude_data = self._globs("exclude_package_data")
        manifest: set[str] = set()
        all_files = source_files(self.root)
        if self.kw.get("include_package_data"):
            manifest = manifest_files(self.root, all_files)
        prefix = f"{source}/" if source else ""
        in_packages = [p[len(prefix):] for p in all_files if p.startswith(prefix)
                       and any(p[len(prefix):].startswith(t.replace(".", "/") + "/") for t in top)]
        excluded = []
        for path in in_packages:
            folder, _, name = path.rpartition("/")
            package = folder.replace("/", ".")
            owner = package
            while owner and owner not in listed:
                owner = owner.rpartition(".")[0]
            relative = path[len(owner.replace(".", "/")) + 1:]

            def matches(globs: dict[str, list[str]]) -> bool:
                return anchored(globs.get(owner, []) + globs.get("", [])).match(relative)

            included = (package in listed and name.endswith(".py")) or matches(package_data) \
                or (prefix + path) in manifest
            if not included or matches(exclude_data):
                excluded.append(path)
        return _collapse(excluded, in_packages)

    def _globs(self, keyword: str) -> dict[str, list[str]]:
        value = self.kw.get(keyword) or {}
        if not isinstance(value, dict):
            raise self.fail(keyword, f"expected a dict of package -> globs, got {value!r}")
        globs: dict[str, list[str]] = {}
        for key, patterns in value.items():
            patterns = _list_of(patterns)
            globs.setdefault("" if key == "*" else str(key), []).extend(patterns)  # "*": every package
        return globs

    def data(self) -> None:
        data: dict[str, dict[str, list[str]]] = {}
        scripts = self.strings("scripts")
        for script in scripts:
            if not (self.root / script).is_file():
                raise self.fail("scripts", f"script {script!r} does not exist")
        if scripts:
            data["scripts"] = {"": [s if "/" in s else "/" + s for s in scripts]}
            self.note("scripts", "scripts are installed as they are; prefer [project.scripts] entry points")
        data_files = self.kw.get("data_files") or []
        if isinstance(data_files, dict):
            data_files = list(data_files.items())
        targets: dict[str, list[str]] = {}
        for entry in data_files:
            target, files = (entry if isinstance(entry, (list, tuple)) and len(entry) == 2 else ("", [entry]))
            if isinstance(files, str):
                files = [files]
            target = str(target).strip("/")
            if str(entry[0] if isinstance(entry, (list, tuple)) else "").startswith("/"):
                raise self.fail("data_files", f"target {entry[0]!r} is an absolute path: a wheel installs data "
                                              "relative to the environment; make it relative")
            for name in files:
                name = str(name)
                if not (self.root / name).is_file():
                    raise self.fail("data_files", f"file {name!r} does not exist")
                targets.setdefault(target, []).append(name if "/" in name else "/" + name)
        if targets:
            data["data"] = targets
        if data:
            wheel = self.tool.setdefault("wheel", {})
            wheel["data"] = data
            keyword = "data_files" if "data" in data else "scripts"
            if keyword in self.kw_origins:
                self.origins["tool.wheel"] = (self.kw_origins[keyword][0], self._field(keyword))

    def ignored(self) -> None:
        handled = {
            "name", "version", "description", "long_description", "long_description_content_type", "license",
            "license_file", "license_files", "author", "author_email", "maintainer", "maintainer_email", "url",
            "download_url", "project_urls", "classifiers", "keywords", "python_requires", "install_requires",
            "extras_require", "entry_points", "packages", "py_modules", "package_dir", "package_data",
            "exclude_package_data", "include_package_data", "data_files", "scripts", *UNSUPPORTED,
        }
        for keyword in sorted(self.kw):
            value = self.kw[keyword]
            if keyword in handled or value is None or value in ("", [], {}):
                continue
            if keyword == "platforms":
                self.note(keyword, "platforms has no place in pyproject.toml (the wheel's tag says it): dropped")
            elif keyword in IGNORED:
                self.note(keyword, f"{keyword} does not affect what is built: dropped")
            else:
                self.note(keyword, f"unknown setup() keyword {keyword!r}: ignored")


VERSION_ASSIGNMENT = re.compile(r"""^__version__\s*(?::\s*str\s*)?=\s*(['"])(?P<version>[^'"]+)\1\s*(#.*)?$""",
                                re.MULTILINE)


def _same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return False


def _list_of(value: Any) -> list[str]:
    """A glob list given as a list, or as a string (one glob, or several on lines / with commas)."""
    if isinstance(value, str):
        return [g.strip() for g in re.split(r"[,\n]", value) if g.strip()]
    return [str(g) for g in value]


def _valid_req(text: str) -> bool:
    try:
        Requirement(text)
    except InvalidRequirement:
        return False
    return True


def _with_marker(text: str, marker: str, mapper: _Mapper) -> str:
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        raise mapper.fail("extras_require", f"{text!r} is not a valid PEP 508 requirement: {exc}") from None
    if requirement.marker is None:
        return f"{text}; {marker}"
    bare = Requirement(text)
    bare.marker = None
    return f"{bare}; ({requirement.marker}) and ({marker})"


def _spdx(raw: str) -> str | None:
    text = raw.strip()
    if "\n" in text or len(text) > 200:
        return None
    for candidate in (text, LICENSE_ALIASES.get(text.lower())):
        if candidate is None:
            continue
        try:
            return canonicalize_license_expression(candidate)
        except InvalidLicenseExpression:
            continue
    return None


def _ini_groups(text: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = groups.setdefault(line[1:-1].strip(), [])
        elif current is not None:
            current.append(line)
    return groups


def _collapse(excluded: list[str], everything: list[str]) -> list[str]:
    """Exclusion patterns: a folder whose files are all excluded becomes `folder/`."""
    out = set(excluded)
    left = set(excluded)
    folders = sorted({"/".join(p.split("/")[:i]) for p in excluded for i in range(1, p.count("/") + 1)},
                     key=lambda f: f.count("/"))
    patterns = []
    for folder in folders:
        if not any(p in left for p in everything if p.startswith(folder + "/")):
            continue
        inside = [p for p in everything if p.startswith(folder + "/")]
        if all(p in out for p in inside):
            patterns.append(folder + "/")
            left -= set(inside)
    patterns.extend(sorted(left))
    return sorted(patterns)
