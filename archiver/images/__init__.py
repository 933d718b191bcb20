"""Images, from a reference in the saved input to bytes in every output: which address an
<img> shows, resolving it (MIME part, file, data: URI, --fetch), sniffing and checking the
bytes, SVG safety, and the set of images an output stores, converted where it must be."""
