from setuptools import setup

setup(
    name='c05-tools',
    version='1.2',
    packages=['c05tools'],
    entry_points={
        'console_scripts': [
            'c05-hello = c05tools.cli:main',
            'c05-bye=c05tools.cli:bye',
        ],
        'c05.plugins': ['default = c05tools.cli:main'],
    },
)
