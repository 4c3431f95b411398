def greet(names: list[str]) -> str:
    return "greet " + ",".join(names)
