def f():
    return 'c06'
