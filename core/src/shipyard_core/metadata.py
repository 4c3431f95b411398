"""Project -> Core Metadata (PKG-INFO / METADATA), at the lowest version that holds it.

Version 2.2 at least (PEP 643); 2.4 once a license expression or license files appear
(PEP 639). Older uploaders and indexes accept what is written, and packaging's validator
agrees with it. Nothing shipyard-core writes is computed differently for the wheel, so no
field is marked `Dynamic` (PEP 643: every field of the sdist holds for its wheels).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shipyard_core.project import Person, Project

if TYPE_CHECKING:
    from packaging.requirements import Requirement


def metadata_version(project: Project) -> str:
    return "2.4" if project.license_expression or project.license_files else "2.2"


def _people(people: list[Person]) -> tuple[str | None, str | None]:
    names = [p.name for p in people if p.name and not p.email]
    emails = [f"{p.name} <{p.email}>" if p.name else p.email for p in people if p.email]
    return (", ".join(names) or None), (", ".join(emails) or None)


def _extra_requirement(requirement: Requirement, extra: str) -> str:
    marker = f'extra == "{extra}"'
    if requirement.marker is None:
        return f"{requirement}; {marker}"
    from packaging.requirements import Requirement

    bare = Requirement(str(requirement))
    bare.marker = None
    return f"{bare}; ({requirement.marker}) and {marker}"


def core_metadata(project: Project) -> bytes:
    """The metadata file's bytes (UTF-8, email header format, description in the body)."""
    fields: list[tuple[str, str]] = [
        ("Metadata-Version", metadata_version(project)),
        ("Name", project.name),
        ("Version", str(project.version)),
    ]
    add = fields.append
    if project.description:
        add(("Summary", project.description))
    if project.keywords:
        add(("Keywords", ",".join(project.keywords)))
    for label, people in (("Author", project.authors), ("Maintainer", project.maintainers)):
        names, emails = _people(people)
        if names:
            add((label, names))
        if emails:
            add((f"{label}-email", emails))
    if project.license_expression:
        add(("License-Expression", project.license_expression))
    elif project.license_text:
        add(("License", project.license_text.strip().replace("\n", "\n        ")))
    for path in project.license_files:
        add(("License-File", path))
    for classifier in project.classifiers:
        add(("Classifier", classifier))
    if project.requires_python is not None:
        add(("Requires-Python", str(project.requires_python)))
    for requirement in project.dependencies:
        add(("Requires-Dist", str(requirement)))
    for extra, requirements in project.optional_dependencies.items():
        add(("Provides-Extra", extra))
        for requirement in requirements:
            add(("Requires-Dist", _extra_requirement(requirement, extra)))
    for label, url in project.urls.items():
        add(("Project-URL", f"{label}, {url}"))
    if project.readme:
        add(("Description-Content-Type", project.readme.content_type))
    text = "".join(f"{key}: {value}\n" for key, value in fields)
    if project.readme:
        text += "\n" + project.readme.text
    return text.encode("utf-8")


def entry_points_txt(project: Project) -> bytes | None:
    """entry_points.txt for the wheel, or None when the project has none."""
    if not project.entry_points:
        return None
    sections = []
    for group, entries in sorted(project.entry_points.items()):
        lines = "".join(f"{name} = {ref}\n" for name, ref in sorted(entries.items()))
        sections.append(f"[{group}]\n{lines}")
    return "\n".join(sections).encode("utf-8")
