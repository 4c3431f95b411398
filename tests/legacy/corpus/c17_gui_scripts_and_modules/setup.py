from setuptools import setup
import c17app

setup(
    name='c17-app',
    version=c17app.__version__,
    py_modules=['c17app'],
    entry_points='''
        [console_scripts]
        c17 = c17app:main

        [gui_scripts]
        c17-gui = c17app:gui
    ''',
    author='Dana Four',
    author_email='dana@example.org',
)
