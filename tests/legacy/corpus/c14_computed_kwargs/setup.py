import os
import sys

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read_requirements(name):
    with open(os.path.join(HERE, name)) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith('#')]


def long_description():
    with open(os.path.join(HERE, 'README.rst')) as readme, open(os.path.join(HERE, 'CHANGES.rst')) as changes:
        return readme.read() + '\n\n' + changes.read()


metadata = dict(
    name='c14-computed',
    version='.'.join(['4', '0', '0']),
    description='Keywords computed at run time',
    long_description=long_description(),
    py_modules=['c14computed'],
    install_requires=read_requirements('requirements.txt'),
)

if sys.version_info >= (3,):
    metadata['python_requires'] = '>=3.6'

if __name__ == '__main__':
    setup(**metadata)
