def run():
    print('c07 running')
