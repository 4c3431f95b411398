from setuptools import setup

setup(
    name='c11-datafiles',
    version='1.1',
    py_modules=['c11datafiles'],
    data_files=[('share/c11', ['data/c11.conf']), ('share/c11/extra', ['data/extra.txt'])],
)
