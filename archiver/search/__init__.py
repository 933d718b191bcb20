"""Full-text search of a package: the words of each article, as an index beside the package's
(store.py), asked from the command line (query.py) and, written out as shards, from the site."""
