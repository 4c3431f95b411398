__version__ = '7.7'


def main():
    print('c17 cli')


def gui():
    print('c17 gui')
