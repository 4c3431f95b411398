NAME = 'c16'
