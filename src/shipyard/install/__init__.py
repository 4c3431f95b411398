"""Install from indexes: find (PEP 503/691) → resolve (resolvelib) → download (cache) → install.

`install()` is the whole pipeline as a function; `shipyard.cli.install` is its command line.
"""

from shipyard.install.pipeline import Action, Report, install

__all__ = ["Action", "Report", "install"]
