NAME = 'extra'
