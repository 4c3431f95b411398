from setuptools import setup, find_packages

setup(
    name="c10-templates",
    version="2.0",
    packages=find_packages(),
    include_package_data=True,
)
