from c13nested.sub.leaf import LEAF
