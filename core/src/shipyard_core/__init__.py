"""shipyard-core: the PEP 517 build backend of shipyard."""

__version__ = "0.1.0"
