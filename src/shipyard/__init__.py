"""shipyard: one tool for the whole life of a Python package."""

__version__ = "0.1.0"
