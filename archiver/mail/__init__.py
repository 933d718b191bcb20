"""Mail to an Article: walking MIME (RFC 2045-2049, 2392, 2557) for .eml, mbox and MHTML,
the message's own metadata, and the header block of a forwarded message."""
