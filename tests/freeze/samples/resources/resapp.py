from importlib.resources import files

import datapkg

print(files("datapkg").joinpath("data/greeting.txt").read_text().strip())
print(datapkg.shout())
