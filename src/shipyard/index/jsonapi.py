"""The JSON API in PyPI's format: ``/pypi/<project>/json`` and ``/pypi/<project>/<version>/json``."""

from __future__ import annotations

from packaging.utils import canonicalize_version
from packaging.version import InvalidVersion, Version


def sort_key(version: str) -> tuple[bool, Version]:
    try:
        return True, Version(version)
    except InvalidVersion:
        return False, Version("0")


def latest(releases: list[dict]) -> dict | None:
    """The release PyPI shows: newest non-yanked final release, else newest non-yanked, else newest."""
    ordered = sorted(releases, key=lambda r: sort_key(r["version"]), reverse=True)
    for wanted in (lambda r: not r["yanked"] and not sort_key(r["version"])[1].is_prerelease,
                   lambda r: not r["yanked"], lambda r: True):
        for release in ordered:
            if wanted(release):
                return release
    return None


def file_entry(row: dict, base: str) -> dict:
    return {
        "comment_text": "",
        "digests": {"blake2b_256": row["blake2_256"], "md5": row["md5"], "sha256": row["sha256"]},
        "downloads": -1,
        "filename": row["filename"],
        "has_sig": False,
        "md5_digest": row["md5"],
        "packagetype": row["packagetype"],
        "python_version": row["python_version"],
        "requires_python": row["requires_python"],
        "size": row["size"],
        "upload_time": row["upload_time"][:19],
        "upload_time_iso_8601": row["upload_time"],
        "url": f"{base}packages/{row['sha256']}/{row['filename']}",
        "yanked": bool(row["yanked"]),
        "yanked_reason": row["yanked_reason"] or None,
    }


def project_json(project: dict, releases: list[dict], files: list[dict], base: str,
                 version: str | None = None) -> dict | None:
    """The document for a project (its latest release) or one version; None if no such version."""
    if version is None:
        release = latest(releases)
    else:
        wanted = canonicalize_version(version, strip_trailing_zero=False)
        release = next((r for r in releases if r["canonical_version"] == wanted), None)
    if release is None:
        return None
    info = dict(release["info"])
    name = project["name"]
    info.update({
        "package_url": f"{base}project/{name}/",
        "project_url": f"{base}project/{name}/",
        "release_url": f"{base}project/{name}/{release['version']}/",
        "bugtrack_url": None,
        "docs_url": None,
        "downloads": {"last_day": -1, "last_month": -1, "last_week": -1},
        "yanked": bool(release["yanked"]),
        "yanked_reason": release["yanked_reason"] or None,
    })
    by_release: dict[int, list[dict]] = {}
    for row in files:
        by_release.setdefault(row["release_id"], []).append(file_entry(row, base))
    document = {
        "info": info,
        "last_serial": project["serial"],
        "urls": by_release.get(release["id"], []),
        "vulnerabilities": [],
    }
    if version is None:
        ordered = sorted(releases, key=lambda r: sort_key(r["version"]))
        document["releases"] = {r["version"]: by_release.get(r["id"], []) for r in ordered}
    return document
