from distutils.core import setup

setup(
	name = 'Sololearn',
	version = '0.1dev',
	packages = ['sololearn',],
	license = 'MIT',
	long_description = open('README.txt').read(),
)
