def where():
    return 'src'
