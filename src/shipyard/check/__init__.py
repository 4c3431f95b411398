"""`shipyard check`: what an index would reject or a user would trip on, found before upload.

The file-level rules (metadata, names, RECORD, archive layout, classifiers, license files,
wheel contents) live in `shipyard_core.distfile`, shared with build, publish and the index;
this package adds what needs more than the file: rendering the long description as PyPI
does, and rebuilding the wheel from an sdist.
"""

from shipyard.check.run import Report, check_files, find_dists

__all__ = ["Report", "check_files", "find_dists"]
