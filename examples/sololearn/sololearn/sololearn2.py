"""Small numeric helpers."""


def average(numbers):
    """Return the arithmetic mean of a non-empty sequence of numbers."""
    numbers = list(numbers)
    if not numbers:
        raise ValueError("average() of an empty sequence")
    return sum(numbers) / len(numbers)
