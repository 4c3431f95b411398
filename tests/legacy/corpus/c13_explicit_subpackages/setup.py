from distutils.core import setup

setup(
    name='c13-nested',
    version='0.1a1',
    packages=['c13nested', 'c13nested.sub'],
)
