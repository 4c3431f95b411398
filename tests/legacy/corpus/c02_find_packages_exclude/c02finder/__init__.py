from c02finder.core import answer
