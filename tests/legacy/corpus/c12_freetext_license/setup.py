from setuptools import setup

setup(
    name='c12-license',
    version='1.0.post2',
    py_modules=['c12license'],
    license='BSD',
    author='Ann One, Bob Two',
    maintainer='Carol Three',
    maintainer_email='carol@example.org',
    url='https://example.org/c12',
    download_url='https://example.org/c12/download',
    project_urls={'Changelog': 'https://example.org/c12/changes'},
    classifiers=[
        'License :: OSI Approved :: BSD License',
        'Programming Language :: Python :: 3',
    ],
    keywords=['license', 'people'],
    zip_safe=False,
    tests_require=['pytest'],
)
