from setuptools import setup

extras = {
    'test': ['pytest>=7', 'coverage'],
    'test:python_version < "3.11"': ['tomli'],
    'Docs': ['sphinx; python_version >= "3.9"'],
}

setup(
    name='c06-extras',
    version='0.9b1',
    py_modules=['c06extras'],
    install_requires=['packaging', 'typing-extensions; python_version < "3.10"'],
    extras_require=extras,
)
