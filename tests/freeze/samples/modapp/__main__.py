import sys

from modapp.greet import greet

print(greet(sys.argv[1:]), __name__, getattr(sys, "frozen", False))
