import io
import os
import re

from setuptools import setup

here = os.path.abspath(os.path.dirname(__file__))

with io.open(os.path.join(here, "c04ver", "__init__.py"), encoding="utf-8") as f:
    version = re.search(r'^__version__ = ["\']([^"\']+)["\']', f.read(), re.M).group(1)

with open(os.path.join(here, "README.md"), encoding="utf-8") as f:
    long_description = f.read()

setup(
    name="c04-ver",
    version=version,
    description="Version from __init__.py via a regex",
    long_description=long_description,
    long_description_content_type="text/markdown",
    packages=["c04ver"],
    keywords="version regex markdown",
)
