__version__ = '3.1.4'


def version():
    return __version__
