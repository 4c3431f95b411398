from setuptools import find_packages, setup

setup(
    name="c02-finder",
    version="2.3.1",
    packages=find_packages(exclude=["tests", "tests.*", "*.tests", "*.tests.*"]),
    install_requires=["packaging>=20"],
)
