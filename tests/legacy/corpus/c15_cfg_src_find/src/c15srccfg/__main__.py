def main():
    print('c15 main')


if __name__ == '__main__':
    main()
