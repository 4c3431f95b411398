"""Greetings."""


def greet(name):
    """Return a greeting for `name`."""
    return f"Hello, {name}!"
