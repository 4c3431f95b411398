"""The full texts of the licenses `shipyard new --license` and `shipyard init` write."""

from __future__ import annotations

from importlib.resources import files

#: SPDX id -> (file name -> bundled text); LGPL needs the GPL text beside it.
BUNDLED: dict[str, dict[str, str]] = {
    "MIT": {"LICENSE": "MIT.txt"},
    "Apache-2.0": {"LICENSE": "Apache-2.0.txt"},
    "BSD-2-Clause": {"LICENSE": "BSD-2-Clause.txt"},
    "BSD-3-Clause": {"LICENSE": "BSD-3-Clause.txt"},
    "GPL-3.0-or-later": {"LICENSE": "GPL-3.0-or-later.txt"},
    "LGPL-3.0-or-later": {"LICENSE": "LGPL-3.0-or-later.txt", "COPYING": "GPL-3.0-or-later.txt"},
    "MPL-2.0": {"LICENSE": "MPL-2.0.txt"},
    "ISC": {"LICENSE": "ISC.txt"},
    "Unlicense": {"LICENSE": "Unlicense.txt"},
}
#: first words of a license file -> its SPDX id (to describe a LICENSE that already exists)
RECOGNIZED = [
    ("MIT License", "MIT"), ("Permission is hereby granted, free of charge", "MIT"),
    ("Apache License", "Apache-2.0"), ("BSD 3-Clause", "BSD-3-Clause"), ("BSD 2-Clause", "BSD-2-Clause"),
    ("GNU LESSER GENERAL PUBLIC LICENSE", "LGPL-3.0-or-later"), ("GNU GENERAL PUBLIC LICENSE", "GPL-3.0-or-later"),
    ("Mozilla Public License Version 2.0", "MPL-2.0"), ("ISC License", "ISC"),
    ("This is free and unencumbered software released into the public domain", "Unlicense"),
]


def canonical(spdx: str) -> str:
    """The SPDX id as bundled (case-insensitive match), or a ValueError naming the choices."""
    for known in BUNDLED:
        if known.lower() == spdx.strip().lower():
            return known
    raise ValueError(f"no license text bundled for {spdx!r}: choose one of {', '.join(BUNDLED)}")


def license_files(spdx: str, *, year: int, holder: str) -> dict[str, str]:
    """File name -> full license text with the year and copyright holder filled in."""
    texts = {}
    for name, resource in BUNDLED[canonical(spdx)].items():
        text = files("shipyard.scaffold").joinpath("licenses", resource).read_text(encoding="utf-8")
        texts[name] = text.replace("{year}", str(year)).replace("{holder}", holder)
    return texts


def recognize(text: str) -> str | None:
    """The SPDX id of a license text that starts like a bundled one."""
    head = " ".join(text.split())[:300].lower()
    for words, spdx in RECOGNIZED:
        if words.lower() in head:
            return spdx
    return None
