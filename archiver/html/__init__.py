"""HTML to an Article: parsing any saved page, the metadata cascade (JSON-LD, meta tags,
heuristics), extracting the article from the page, Reader View pages, and sanitizing the body
into XHTML that every output can carry."""
