import sys

print("hello world")
print("frozen:", getattr(sys, "frozen", False))
