from c01util import shout


def hello(name):
    return shout(f"hello {name}")
