"""What one book of a package holds and how it reads: the selection of articles, their order and
sections, and the collection's title, dates and file names."""
