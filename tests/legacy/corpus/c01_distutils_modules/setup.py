from distutils.core import setup

setup(
    name='c01-hello',
    version='1.0',
    description='Loose modules and a script, the distutils way',
    author='Ada Lovelace',
    author_email='ada@example.org',
    url='https://example.org/c01',
    py_modules=['c01hello', 'c01util'],
    scripts=['bin/c01-greet'],
    license='MIT',
    platforms=['any'],
)
