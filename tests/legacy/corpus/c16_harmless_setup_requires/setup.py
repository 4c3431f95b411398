from setuptools import setup

setup(
    name='c16-runner',
    version='2',
    packages=['c16runner'],
    setup_requires=['pytest-runner'],
    tests_require=['pytest'],
    test_suite='tests',
    description='Uses pytest-runner, which shipyard does not need',
    license='mit',
)
