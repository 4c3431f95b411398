from setuptools import setup

setup(
    name='c09-data',
    version='1.0.0',
    packages=['c09data'],
    package_data={'c09data': ['data/*.json', '*.txt']},
    exclude_package_data={'c09data': ['secret.txt']},
)
