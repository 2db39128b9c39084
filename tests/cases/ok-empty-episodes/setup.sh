# A show with an empty episodes/ folder (git cannot hold an empty folder):
# a new show builds a valid feed with no items.
mkdir episodes
