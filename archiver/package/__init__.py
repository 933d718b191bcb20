"""A package folder and its state: the articles kept between runs and their inputs' bytes, the
commit journal, manifest.json and each article's provenance record, the BagIt tags, and
`verify`."""

STATE_FOLDER = ".archiver"  # in the package folder: its index, stores and search index
INDEX = "index.sqlite"  # in STATE_FOLDER: the package's index (index.py)
