def main():
    print("c05 says hello")


def bye():
    print("c05 says bye")
